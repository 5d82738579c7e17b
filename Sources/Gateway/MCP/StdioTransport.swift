import Foundation
import Logging
import MCP

/// MCP over stdin/stdout, newline-delimited, without the SDK transport's two traps: a dedicated thread
/// blocks in read(2) instead of polling every 10 ms, and the requests still unanswered when stdin
/// closes are tracked so the process can drain their responses before it exits.
public actor StdioTransport: Transport {
    public nonisolated let logger: Logger
    private let input: Int32
    private let output: StdoutWriter
    private let unanswered = UnansweredRequests()
    private let inputClosed = StopSignal()
    private let directHandlers = LockedState<[String: DirectHandler]>([:])
    /// Directly handled calls started and not yet answered.
    private let callsInProgress = LockedState(0)
    private var stream: AsyncThrowingStream<Data, Swift.Error>?
    private var continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation?

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger) {
        self.input = input
        self.output = StdoutWriter(fd: output)
        self.logger = logger
        let (stream, continuation) = AsyncThrowingStream<Data, Swift.Error>.makeStream()
        self.stream = stream
        self.continuation = continuation
    }

    /// Answers a request method here instead of in the SDK. Used for `tools/call`, the one hot method,
    /// where the SDK's generic dispatch cost about 200 µs a call (measured); everything else still goes
    /// through the SDK. The handler runs on the stdin thread and must not block: it starts the work and
    /// calls `respond` from any thread, with a closure that makes the `result` object; that closure runs
    /// on the stdout writer's queue, so no thread switch is spent on a task and big results are
    /// serialised away from the service thread.
    /// `small` promises a result of at most a few KiB that is cheap to make: it may then be written at
    /// once from the calling thread, when that cannot block (see `StdoutWriter.writeAtOnceIfFree`).
    public typealias DirectHandler = @Sendable (_ params: JSONValue, _ respond: @escaping DirectResponder) -> Void
    public typealias DirectResponder = @Sendable (_ small: Bool, _ makeResult: @escaping @Sendable () -> JSONValue) -> Void

    public nonisolated func handleDirectly(_ method: String, with handler: @escaping DirectHandler) {
        directHandlers.withLock { $0[method] = handler }
    }

    public func connect() async throws {
        guard let continuation else { return }
        let reader = LineReader(
            fd: input, unanswered: unanswered, inputClosed: inputClosed, continuation: continuation,
            direct: { [output, unanswered, directHandlers, callsInProgress, logger] message in
                guard let method = message["method"]?.stringValue, let id = message["id"],
                      let handler = directHandlers.withLock({ $0[method] }) else { return false }
                callsInProgress.withLock { $0 += 1 }
                handler(message["params"] ?? [:]) { small, makeResult in
                    // Alone, a call is answered fastest from the thread that has its outcome; with others
                    // in progress, that thread is better left free for them while the writer works.
                    let alone = callsInProgress.withLock { count in
                        count -= 1
                        return count == 0
                    }
                    let line: @Sendable () -> Data = {
                        let response: JSONValue = ["jsonrpc": "2.0", "id": id, "result": makeResult()]
                        return Data(response.jsonText.utf8)
                    }
                    let written: @Sendable (Error?) -> Void = { error in
                        // Counted as answered even if the write failed: a host that closed stdout reads no more.
                        unanswered.noteAnswered(id)
                        if let error { logger.warning("cannot write to the MCP host", metadata: ["error": "\(error)"]) }
                    }
                    guard small, alone else { return output.writeSoon(line, written: written) }
                    let made = line()
                    if output.writeAtOnceIfFree(made) {
                        written(nil)
                    } else {
                        output.writeSoon({ made }, written: written)
                    }
                }
                return true
            })
        let thread = Thread { reader.run() }
        thread.name = "mcp-stdin"
        thread.start()
    }

    public func disconnect() async {
        continuation?.finish()
        continuation = nil
    }

    public func send(_ data: Data) async throws {
        // Messages from the SDK are parsed to learn which request they answer.
        unanswered.noteOutgoing(data)
        do {
            try output.write(data)
        } catch {
            throw MCPError.transportError(error)
        }
    }

    public func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        guard let stream else { return AsyncThrowingStream { $0.finish() } }
        self.stream = nil
        return stream
    }

    /// Returns when stdin has reached end of file (the MCP host went away or closed its pipe).
    public nonisolated func waitForEndOfInput() async {
        await inputClosed.wait()
    }

    /// Waits until every request read so far has been answered, or `timeout` seconds pass.
    /// Returns how many were still unanswered.
    public nonisolated func drainResponses(timeout: Double) async -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while unanswered.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return unanswered.count
    }
}

/// Request ids read from the host that have not been answered yet.
final class UnansweredRequests: Sendable {
    private let ids = LockedState(Set<String>())

    var count: Int { ids.withLock { $0.count } }

    func noteIncoming(_ message: JSONValue) {
        guard let id = message["id"], message["method"] != nil else { return }
        _ = ids.withLock { $0.insert(id.jsonText) }
    }

    func noteOutgoing(_ data: Data) {
        guard let message = try? JSONValue.parse(data), let id = message["id"], message["method"] == nil else { return }
        noteAnswered(id)
    }

    func noteAnswered(_ id: JSONValue) {
        _ = ids.withLock { $0.remove(id.jsonText) }
    }
}

/// Blocking line reader on its own thread: zero CPU while idle, no added latency.
private final class LineReader: Sendable {
    let fd: Int32
    let unanswered: UnansweredRequests
    let inputClosed: StopSignal
    let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    /// Takes a request for a directly handled method; returns false to pass the line to the SDK.
    let direct: @Sendable (JSONValue) -> Bool

    init(
        fd: Int32, unanswered: UnansweredRequests, inputClosed: StopSignal,
        continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation, direct: @escaping @Sendable (JSONValue) -> Bool
    ) {
        self.fd = fd
        self.unanswered = unanswered
        self.inputClosed = inputClosed
        self.continuation = continuation
        self.direct = direct
    }

    func run() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                emit(Data(line))
            }
        }
        if !pending.isEmpty { emit(pending) }
        continuation.finish()
        inputClosed.signal()
    }

    private func emit(_ line: Data) {
        let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        guard !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return }
        let line = Data(trimmed)
        let message = try? JSONValue.parse(line)
        if let message { unanswered.noteIncoming(message) }
        if let message, direct(message) { return }
        continuation.yield(line)
    }
}
