import Testing
@testable import GatewayCore

/// The scanner reads runs of plain string bytes through a table: whatever ends a run (a quote, a
/// backslash, a control character, a byte above ASCII) must be seen at every position of a run, and the
/// table must say the parser's word for every byte, so the scanner's verdict stays the parser's.
@Suite struct ScannerStringRunTests {
    private func agree(_ inner: [UInt8], _ note: String) {
        let text = [UInt8(ascii: "\"")] + inner + [UInt8(ascii: "\"")]
        let scanned = text.withUnsafeBytes { JSONScanner.isValid($0, maximumDepth: 8) }
        let parsed = (try? JSONParser.parse(bytes: text)) != nil
        #expect(scanned == parsed, "\(note): \(inner)")
    }

    @Test func everyByteValueGetsTheParsersVerdict() {
        for byte in 0...255 {
            agree([UInt8(byte)], "alone")
            agree([UInt8(ascii: "a"), UInt8(byte), UInt8(ascii: "b")], "within a run")
        }
    }

    @Test func eachKindOfByteIsSeenAtEveryPosition() {
        // Alone (mostly refused: a quote ends the string early, a lone backslash or lead byte is bad), and
        // followed by what makes it valid.
        let kinds: [[UInt8]] = [
            [0x00], [0x1F], [0x20], [0x7F], [0x22], [0x5C], [0x80], [0xC3], [0xFF], Array("\\n".utf8), Array("é".utf8),
            Array("\\u00e9".utf8), Array("😀".utf8), [0xED, 0xA0, 0x80],
        ]
        for kind in kinds {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 24] {
                for offset in 0...length {
                    var inner = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    inner.insert(contentsOf: kind, at: offset)
                    agree(inner, "kind \(kind) at \(offset) of \(length)")
                }
            }
        }
    }

    @Test func randomStringsGetTheParsersVerdict() {
        let alphabet: [UInt8] = [
            UInt8(ascii: "a"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "0"),
            UInt8(ascii: "d"), 0x1F, 0x20, 0x7F, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98,
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<4000 {
            // Mostly plain bytes, so that long runs end in every way at every offset.
            let inner = (0..<next(40)).map { _ in next(4) == 0 ? alphabet[next(alphabet.count)] : UInt8(ascii: "b") }
            agree(inner, "round \(round)")
        }
    }
}
