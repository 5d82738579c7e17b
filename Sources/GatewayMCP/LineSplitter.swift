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
            let newline = Self.firstNewline(in: UnsafeRawBufferPointer(rebasing: bytes[start...])).map { start + $0 }
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
        if current.isEmpty {
            // Most lines arrive whole in one read: one allocation of their size, no growth.
            current = [UInt8](unsafeUninitializedCapacity: chunk.count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: chunk)
                initialized = chunk.count
            }
        } else {
            current.append(contentsOf: chunk)
        }
    }

    /// Where the first newline in `bytes` is, looked for eight bytes at a time: a byte-by-byte search cost
    /// about seven instructions per byte of every request.
    static func firstNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let newlines = ones &* 0x0A
        var offset = 0
        while offset + 8 <= bytes.count {
            // A byte of `word` is zero where a newline is; the lowest flagged byte is the first zero byte
            // (a borrow can flag bytes above a zero byte, never below it).
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ newlines
            let zeros = (word &- ones) & ~word & (ones &* 0x80)
            if zeros != 0 { return offset + zeros.trailingZeroBitCount / 8 }
            offset += 8
        }
        while offset < bytes.count {
            if base.load(fromByteOffset: offset, as: UInt8.self) == 0x0A { return offset }
            offset += 1
        }
        return nil
    }

    private mutating func finishLine() -> Line? {
        // Moved out before it is changed: removing a carriage return from an array still shared with
        // `current` would copy the line.
        var line = current
        let length = currentLength
        let wasOversize = oversize
        current = []
        currentLength = 0
        oversize = false
        if wasOversize { return .oversize(head: line, length: length) }
        if line.last == 0x0D { line.removeLast() }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        return .message(line)
    }
}
