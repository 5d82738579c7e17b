import Testing
@testable import GatewayMCP

@Suite struct LineSplitterTests {
    private func feed(_ splitter: inout LineSplitter, _ text: String) -> [LineSplitter.Line] {
        Array(text.utf8).withUnsafeBytes { splitter.append($0) }
    }

    @Test func linesCutAcrossReadsComeOutWhole() {
        var splitter = LineSplitter(limit: 1000)
        #expect(feed(&splitter, #"{"a":"#).isEmpty)
        #expect(feed(&splitter, "1}\n{\"b\"") == [.message(Array(#"{"a":1}"#.utf8))])
        #expect(feed(&splitter, ":2}\r\n\n  \n") == [.message(Array(#"{"b":2}"#.utf8))])
        #expect(splitter.finish() == nil)
    }

    @Test func aLastLineWithoutNewlineIsKeptForTheEnd() {
        var splitter = LineSplitter(limit: 1000)
        #expect(feed(&splitter, "x\ny").count == 1)
        #expect(splitter.finish() == .message(Array("y".utf8)))
    }

    @Test func anOversizeLineKeepsOnlyItsHeadAndTheNextLineIsIntact() {
        var splitter = LineSplitter(limit: 10_000)
        let long = #"{"id":7,"x":""# + String(repeating: "y", count: 50_000) + "\"}"
        var lines: [LineSplitter.Line] = []
        for chunk in stride(from: 0, to: long.utf8.count, by: 4096) {
            let end = min(long.utf8.count, chunk + 4096)
            lines += Array(long.utf8)[chunk..<end].withUnsafeBytes { splitter.append($0) }
            #expect(splitter.bufferedBytes <= max(10_000, LineSplitter.keptHeadSize))
        }
        lines += feed(&splitter, "\nnext\n")
        guard case .oversize(let head, let length)? = lines.first else { Issue.record("no oversize line: \(lines)"); return }
        #expect(length == long.utf8.count)
        #expect(head == Array(long.utf8.prefix(LineSplitter.keptHeadSize)))
        #expect(lines.dropFirst().first == .message(Array("next".utf8)))
    }
}

@Suite struct NewlineSearchTests {
    /// The word-at-a-time search against a byte-by-byte one: every length up to three words, a newline at
    /// every place (and none), with bytes around it that a borrow could confuse (0x0B, 0x09, 0x8A, 0x00).
    @Test func findsTheFirstNewlineWhereverItIs() {
        for length in 0...24 {
            for place in -1..<length {
                for filler: UInt8 in [0x41, 0x0B, 0x09, 0x8A, 0x00, 0xFF] {
                    var bytes = [UInt8](repeating: filler, count: length)
                    if place >= 0 { bytes[place] = 0x0A }
                    if place >= 0, place + 2 < length { bytes[place + 2] = 0x0A }
                    let found = bytes.withUnsafeBytes { LineSplitter.firstNewline(in: $0) }
                    #expect(found == bytes.firstIndex(of: 0x0A), "length \(length), newline at \(place), filler \(filler)")
                }
            }
        }
    }

    @Test func aLineEndingInCarriageReturnLosesItAndTheNextLineIsUnchanged() {
        var splitter = LineSplitter(limit: 1000)
        let lines = Array("{\"a\":1}\r\n{\"b\":2}\n".utf8).withUnsafeBytes { splitter.append($0) }
        #expect(lines == [.message(Array(#"{"a":1}"#.utf8)), .message(Array(#"{"b":2}"#.utf8))])
    }
}
