import GatewayCore
import GatewayMCP
import FoundationEssentials
import Glibc
import Logging

/// The MCP host's stdin and stdout as descriptors of the libwebsockets service loop, so a request is
/// read, handled and answered on the service thread with no hand-off. stdin is adopted as a raw file
/// and read when poll(2) says so; answers are collected in one buffer and written once per loop
/// iteration, and a full pipe waits for POLLOUT instead of blocking the loop.
///
/// What it reads goes to the engine as bytes (`onBytes`); the engine cuts lines and decides when to stop
/// reading (`setReading`) while the host does not take its answers, which it learns from `onFlushed`.
final class StdioChannel {
    private let inputFD: Int32
    private let outputFD: Int32
    private let logger: Logger
    private(set) var inputWsi: LWSConnection?
    private(set) var outputWsi: LWSConnection?
    private var inputPaused = false
    private var inputEnded = false
    private var endReported = false
    private var output: [UInt8] = []
    private var outputHead = 0
    private var outputBroken = false
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Called with what each read of stdin returned, in order.
    var onBytes: ([UInt8]) -> Void = { _ in }
    /// Called once when stdin has ended, after every byte read before.
    var onEndOfInput: () -> Void = {}
    /// Called after a write to stdout with the answer bytes still waiting for the host.
    var onFlushed: (Int) -> Void = { _ in }
    /// Called once when stdout can no longer be written (the host closed it).
    var onOutputGone: () -> Void = {}

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger) {
        inputFD = input
        outputFD = output
        self.logger = logger
    }

    /// Answer bytes not yet taken by the host.
    var pendingOutput: Int { output.count - outputHead }
    /// True when answers wait that no write has been tried for yet (not waiting for POLLOUT, not broken).
    var hasOutputToFlush: Bool { pendingOutput > 0 && !awaitingWritable && !outputBroken }
    /// Set when the pipe was full and POLLOUT was asked for; the next flush clears it.
    private var awaitingWritable = false

    // MARK: Adoption

    /// Adopts stdin (and stdout when it is a pipe or socket) into the runtime's loop.
    func adopt(into runtime: LWSRuntime, protocolName: String) throws {
        if fcntl(inputFD, F_GETFD) == -1 {
            inputEnded = true
        } else {
            guard let wsi = runtime.adopt(fileDescriptor: inputFD, protocolName: protocolName) else {
                throw GatewayStartError.stdio("libwebsockets could not adopt stdin")
            }
            inputWsi = wsi
        }
        // Pipes and sockets (what MCP hosts give) are written without blocking and waited on with poll;
        // a terminal or a file is written directly, as it cannot push back for long.
        var status = stat()
        guard fstat(outputFD, &status) == 0 else { throw GatewayStartError.stdio("stdout is not open") }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFIFO || kind == S_IFSOCK else { return }
        let flags = fcntl(outputFD, F_GETFL)
        guard flags != -1, fcntl(outputFD, F_SETFL, flags | O_NONBLOCK) != -1 else {
            throw GatewayStartError.stdio("cannot make stdout non-blocking: \(String(cString: strerror(errno)))")
        }
        guard let output = runtime.adopt(fileDescriptor: outputFD, protocolName: protocolName) else {
            throw GatewayStartError.stdio("libwebsockets could not adopt stdout")
        }
        outputWsi = output
        // Only POLLOUT matters on stdout (a terminal's fd 1 would otherwise report the person's typing).
        guard output.setReading(false) else { throw GatewayStartError.stdio("libwebsockets could not stop reading stdout") }
    }

    /// True when a loop that has just started must treat input as already over.
    var inputAlreadyEnded: Bool { inputEnded && inputWsi == nil }

    // MARK: Input

    /// stdin is readable. Returns false when it is finished (end of file or error): lws then closes it.
    func readAvailable() -> Bool {
        let count = readBuffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
        if count > 0 {
            take(count)
            return true
        }
        if count < 0, errno == EINTR || errno == EAGAIN { return true }
        if count < 0 { logger.warning("cannot read stdin", metadata: ["error": "\(String(cString: strerror(errno)))"]) }
        return false
    }

    private func take(_ count: Int) {
        onBytes(Array(readBuffer[0..<count]))
    }

    /// lws is closing stdin (end of file, or the host hung up while reading was paused): whatever the
    /// pipe still holds is read now, so no request the host wrote is lost.
    func inputClosing(_ wsi: LWSConnection) {
        guard wsi == inputWsi else { return }
        while true {
            let count = readBuffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            take(count)
        }
        inputWsi = nil
        inputEnded = true
        reportEnd()
    }

    /// Tells the engine, once, that stdin has ended.
    func reportEnd() {
        guard inputEnded, !endReported else { return }
        endReported = true
        onEndOfInput()
    }

    /// Turns reading of stdin (POLLIN) on or off, as the engine asks.
    func setReading(_ enabled: Bool) {
        guard enabled == inputPaused, let inputWsi else { return }
        inputPaused = !enabled
        if !inputWsi.setReading(enabled) { logger.warning("libwebsockets could not change reading of stdin") }
    }

    // MARK: Output

    /// Queues one line for the host; it leaves at the next flush.
    func send(_ line: [UInt8]) {
        guard !outputBroken else { return }
        // Copied into the buffer kept from the last flush: taking `line` itself and appending the newline
        // reallocated it (lines are made to their exact size), one malloc and copy per answer.
        // (Only when empty: reserving exactly on every append would give up the array's geometric growth.)
        if output.isEmpty { output.reserveCapacity(line.count + 1) }
        output += line
        output.append(0x0A)
    }

    /// Writes what is queued, as far as the pipe takes it without blocking; the rest waits for POLLOUT.
    func flush() {
        awaitingWritable = false
        guard pendingOutput > 0, !outputBroken else { return }
        let before = pendingOutput
        while outputHead < output.count {
            let written = output.withUnsafeBytes { write(outputFD, $0.baseAddress! + outputHead, $0.count - outputHead) }
            if written > 0 {
                outputHead += written
                continue
            }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN, let outputWsi, outputWsi.requestWritable() {
                awaitingWritable = true
                if pendingOutput != before { onFlushed(pendingOutput) }
                return
            }
            outputFailed(errno)
            return
        }
        // Large buffers are given back; small ones are kept for the next answers.
        if output.capacity > 1 << 20 { output = [] } else { output.removeAll(keepingCapacity: true) }
        outputHead = 0
        onFlushed(0)
    }

    private func outputFailed(_ error: Int32) {
        outputBroken = true
        output = []
        outputHead = 0
        logger.warning("cannot write to the MCP host", metadata: ["error": "\(String(cString: strerror(error)))"])
        onOutputGone()
    }

    /// lws is closing stdout: the host closed its end, or the gateway is tearing down (`detachForExit`).
    func outputClosing(_ wsi: LWSConnection) {
        guard wsi == outputWsi else { return }
        outputWsi = nil
        if !outputBroken, !exiting { outputFailed(EPIPE) }
    }

    /// Set before lws closes stdin and stdout at exit, which is not the host going away.
    private var exiting = false

    func detachForExit() { exiting = true }

    /// stdout to watch for the host closing its end, when stdout is a pipe or socket of its own: it is
    /// never readable then, so any event on it is a hang-up. (Not when it is stdin's socket too.)
    var outputHangupDescriptor: Int32? {
        guard outputWsi != nil else { return nil }
        var input = stat(), output = stat()
        if fstat(inputFD, &input) == 0, fstat(outputFD, &output) == 0, input.st_dev == output.st_dev, input.st_ino == output.st_ino {
            return nil
        }
        return outputFD
    }

    /// The watch on stdout fired: if it reports an error or hang-up, stop using stdout.
    func checkOutputHangup() {
        guard let outputWsi, !outputBroken else { return }
        var descriptor = pollfd(fd: outputFD, events: 0, revents: 0)
        guard poll(&descriptor, 1, 0) == 1, descriptor.revents & Int16(POLLERR | POLLHUP) != 0 else {
            logger.debug("stdout reported an event that is not a hang-up; no longer watching it")
            return
        }
        outputFailed(EPIPE)
        outputWsi.closeSoon()
    }

    /// At exit: writes what is left, waiting at most `timeout` seconds for a host that is slow to read.
    func drain(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while pendingOutput > 0, !outputBroken {
            flush()
            guard pendingOutput > 0, !outputBroken else { break }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                logger.warning("the MCP host did not read its last answers", metadata: ["bytes": "\(pendingOutput)"])
                break
            }
            var descriptor = pollfd(fd: outputFD, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, Int32(min(remaining * 1000, 1000)))
        }
    }
}
