import Foundation

/// The one writer of stdout. Lines are written whole under a lock, so the SDK's messages and directly
/// answered calls never interleave. Responses are built and written on a serial queue of their own:
/// the service thread that learns a command's outcome must never block on a host that stops reading,
/// nor spend time escaping a 32 MiB result.
final class StdoutWriter: Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "mcp-stdout")

    init(fd: Int32) {
        self.fd = fd
    }

    /// Builds a line on the writer's queue and writes it; `written` runs once it is out (or failed).
    func writeSoon(_ build: @escaping @Sendable () -> Data, written: @escaping @Sendable (Error?) -> Void = { _ in }) {
        queue.async { [self] in
            do {
                try write(build())
                written(nil)
            } catch {
                written(error)
            }
        }
    }

    /// Writes one line now, on the caller's thread.
    func write(_ data: Data) throws {
        var line = data
        line.append(UInt8(ascii: "\n"))
        lock.lock()
        defer { lock.unlock() }
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }
}
