import GatewayMCP

/// The MCP host's stdin as the engine sees it: bytes cut into lines, and the policy of when to take the
/// next one. While more than `backlogLimit` bytes of answers wait for the host to read them, no request
/// is taken and reading stops (`.setHostReading(false)`), so the pipe pushes back on the host; editors
/// and heartbeats keep being served, and reading resumes once the host has drained its answers.
struct HostInput {
    private var splitter: LineSplitter
    let backlogLimit: Int
    /// Lines read and not yet handed on, oldest first.
    private var waiting: [LineSplitter.Line] = []
    private var waitingHead = 0
    /// Answer bytes the host has not taken: what the socket layer reported after its last write, plus
    /// what the engine has produced since.
    private var backlog = 0
    /// Whether reading was last asked to stop.
    private(set) var readingPaused = false
    /// stdin reached its end (every byte of it was read).
    private(set) var ended = false
    /// The end was reported to the engine, once every line before it was handed on.
    private var endHandled = false

    init(lineLimit: Int, backlogLimit: Int) {
        splitter = LineSplitter(limit: lineLimit)
        self.backlogLimit = backlogLimit
    }

    mutating func append(_ bytes: [UInt8]) {
        let lines = bytes.withUnsafeBytes { splitter.append($0) }
        if waitingHead == waiting.count {
            waiting = lines
            waitingHead = 0
        } else {
            waiting += lines
        }
    }

    /// stdin ended: a last line without a newline still counts.
    mutating func finish() {
        ended = true
        if let last = splitter.finish() { waiting.append(last) }
    }

    mutating func produced(_ byteCount: Int) { backlog += byteCount }

    mutating func outputPending(_ byteCount: Int) { backlog = byteCount }

    /// True when reading is paused or lines wait: only then does a change of the backlog matter.
    var isHoldingBack: Bool { readingPaused || waitingHead < waiting.count }

    /// The next line to handle, unless none waits or the answers are backed up.
    mutating func next() -> LineSplitter.Line? {
        guard waitingHead < waiting.count, backlog <= backlogLimit else { return nil }
        defer {
            waitingHead += 1
            if waitingHead == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingHead = 0
            }
        }
        return waiting[waitingHead]
    }

    /// Whether reading should now stop or resume; nil when it stays as it is.
    mutating func readingChange() -> Bool? {
        let pause = waitingHead < waiting.count || backlog > backlogLimit
        guard pause != readingPaused else { return nil }
        readingPaused = pause
        return !pause
    }

    /// True once, when stdin has ended and every line before the end was handed on.
    mutating func takeEnd() -> Bool {
        guard ended, !endHandled, waitingHead == waiting.count else { return false }
        endHandled = true
        return true
    }
}
