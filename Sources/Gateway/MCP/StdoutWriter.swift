import Foundation

/// The one writer of stdout. Lines are written whole under a lock, so the SDK's messages and directly
/// answered calls never interleave. Responses are built and written on a serial queue of their own:
/// the service thread that learns a command's outcome must never block on a host that stops reading,
/// nor spend time escaping a 32 MiB result.
final class StdoutWriter: Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "mcp-stdout")
    /// Whether stdout is a pipe, as MCP hosts give it: only then can a short write be known not to block.
    private let isPipe: Bool

    init(fd: Int32) {
        self.fd = fd
        var status = stat()
        isPipe = fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
    }

    /// Writes a short line now if that cannot block, and says whether it did. It cannot when stdout is a
    /// pipe that poll(2) reports writable (a free page) and the line plus newline is at most PIPE_BUF
    /// bytes (such writes are atomic), and no other line is being written. This spares a thread switch
    /// per call for the common small result; anything else goes through `writeSoon`.
    func writeAtOnceIfFree(_ data: Data) -> Bool {
        guard isPipe, data.count < Self.pipeAtomicSize, lock.try() else { return false }
        defer { lock.unlock() }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptor, 1, 0) == 1, descriptor.revents & Int16(POLLOUT) != 0 else { return false }
        return (try? writeLine(data)) != nil
    }

    /// PIPE_BUF on Linux.
    private static let pipeAtomicSize = 4096

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
        lock.lock()
        defer { lock.unlock() }
        try writeLine(data)
    }

    /// Writes `data` and a newline; called with the lock held.
    private func writeLine(_ data: Data) throws {
        var line = data
        line.append(UInt8(ascii: "\n"))
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
