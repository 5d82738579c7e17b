import GatewayCore
import GatewaySystem
import FoundationEssentials
import Glibc

/// A structured audit trail, one JSON object per line: every tool call and every refused connection.
/// The file is capped: past `maxBytes` it is renamed to `PATH.1` (replacing the previous one) and a new
/// file begins, so a busy shared gateway never fills the disk. Writes are synchronous and serialised.
package final class AuditLog: Sendable {
    package let path: String
    private let maxBytes: Int
    private struct State {
        var fd: Int32
        var size: Int
    }
    private let state: LockedState<State>

    package init(path: String, maxBytes: Int = 10 * 1024 * 1024) throws {
        self.path = path
        self.maxBytes = maxBytes
        let fd = Self.open(path)
        guard fd >= 0 else {
            throw OpenError(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        fstat(fd, &status)
        state = LockedState(State(fd: fd, size: Int(status.st_size)))
    }

    package struct OpenError: Error, CustomStringConvertible {
        package let path: String
        package let reason: String
        package var description: String { "cannot open \(path) for appending: \(reason)" }
    }

    deinit {
        state.withLock { _ = close($0.fd) }
    }

    private static func open(_ path: String) -> Int32 {
        Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }

    /// Appends `fields` with a `time` field (ISO 8601, UTC, milliseconds).
    package func record(_ fields: [String: JSONValue]) {
        var entry = fields
        entry["time"] = .string(Self.timestamp())
        let line = Array((JSONValue.object(entry).jsonText + "\n").utf8)
        state.withLock { state in
            if state.size + line.count > maxBytes, state.size > 0 {
                close(state.fd)
                rename(path, path + ".1")
                state.fd = Self.open(path)
                state.size = 0
            }
            guard state.fd >= 0 else { return }
            let written = line.withUnsafeBytes { write(state.fd, $0.baseAddress, $0.count) }
            if written > 0 { state.size += written }
        }
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
