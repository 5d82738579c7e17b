import GatewayCore

/// Splits the MCP host's byte stream into newline-delimited messages. Each byte is looked at once,
/// however a line is cut into reads, and a line longer than `limit` is never held whole: only its
/// first `keptHeadSize` bytes are kept, so its id can still be found and answered.
package struct LineSplitter {
    package enum Line: Equatable {
        case message([UInt8])
        /// A line over the limit; `head` is its beginning, `length` how long it was.
        case oversize(head: [UInt8], length: Int)
    }

    package let limit: Int
    package static let keptHeadSize = LeadingIdentifier.searchedPrefix

    private var current: [UInt8] = []
    private var currentLength = 0
    private var oversize = false

    package init(limit: Int) {
        self.limit = limit
    }

    /// Bytes of the line being read that are held (for the backpressure bound).
    package var bufferedBytes: Int { current.count }

    /// Feeds bytes read from the host; returns the lines they completed, in order.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) -> [Line] {
        var lines: [Line] = []
        var start = 0
        while start < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
            let newline = rest.firstIndex(of: 0x0A).map { start + $0 }
            let end = newline ?? bytes.count
            take(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard newline != nil else { break }
            if let line = finishLine() { lines.append(line) }
            start = end + 1
        }
        return lines
    }

    /// At end of input: the last line if it had no newline.
    package mutating func finish() -> Line? {
        currentLength == 0 ? nil : finishLine()
    }

    private mutating func take(_ chunk: UnsafeRawBufferPointer) {
        currentLength += chunk.count
        if oversize { return }
        if currentLength > limit {
            oversize = true
            let room = max(0, Self.keptHeadSize - current.count)
            current.append(contentsOf: chunk.prefix(room))
            if current.count > Self.keptHeadSize { current.removeLast(current.count - Self.keptHeadSize) }
            return
        }
        current.append(contentsOf: chunk)
    }

    private mutating func finishLine() -> Line? {
        defer {
            current = []
            currentLength = 0
            oversize = false
        }
        if oversize { return .oversize(head: current, length: currentLength) }
        var line = current
        if line.last == 0x0D { line.removeLast() }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        return .message(line)
    }
}
