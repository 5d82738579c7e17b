/// Checks a whole JSON text in one pass without building it, and notes where the members of the top-level
/// object (and of one object member of it) are. Building a tree of values for every message cost more
/// than anything else the gateway does with one (dictionaries hash every key, every string is allocated);
/// the hot paths (an editor's answer, a host's `tools/call`) need a handful of members, so they take
/// spans of the bytes and leave the rest where it is.
///
/// It accepts exactly what `JSONParser` accepts within `maximumDepth` (the fuzzer compares the two on
/// every input): the same grammar, UTF-8 in strings, escapes and surrogate pairs, numbers a Double can
/// hold. Nesting is counted like `NestingDepth` (the top-level container is level 1), so one pass
/// replaces that check too.
package struct JSONScanner {
    /// One member of an object: its name's bytes (between the quotes, escapes not undone) and its value's
    /// text (without surrounding whitespace), as offsets into the scanned bytes.
    package struct Member: Equatable, Sendable {
        package var key: Range<Int>
        package var value: Range<Int>
        /// The name contains a backslash: its bytes are not its text (callers treat it as unusual).
        package var keyHasEscape: Bool
        /// How many object members the value holds at any depth. A tree built from the value holding
        /// fewer had duplicate names, which parsers resolve differently: such bytes are not passed on.
        package var nestedMembers: Int
    }

    /// What a scan found: the top-level object's members in order (duplicates included), and those of
    /// each top-level member named `expanding` whose value is an object.
    package struct Scan: Sendable, JSONMemberRecorder {
        package var members: [Member] = []
        package var expanded: [Member] = []

        package mutating func record(_ member: Member, expanded isExpanded: Bool) -> Bool {
            if isExpanded { expanded.append(member) } else { members.append(member) }
            return true
        }
    }

    /// Records nothing: for `isValid`.
    private struct NoRecord: JSONMemberRecorder {
        mutating func record(_ member: Member, expanded: Bool) -> Bool { true }
    }

    /// The top-level object's members, or nil when the text is not valid JSON, nests deeper than
    /// `maximumDepth`, or is valid but not an object.
    package static func scanObject(
        _ bytes: UnsafeRawBufferPointer, maximumDepth: Int, expanding: StaticString? = nil
    ) -> Scan? {
        var scan = Scan()
        // Room for the protocol's usual members at once, instead of growing one element at a time.
        scan.members.reserveCapacity(8)
        if expanding != nil { scan.expanded.reserveCapacity(4) }
        guard scanObject(bytes, maximumDepth: maximumDepth, expanding: expanding, into: &scan) else { return nil }
        return scan
    }

    /// The same, handing each member to `recorder` as it is found instead of keeping them in arrays (the
    /// hot paths read a handful of members and allocate nothing for them). False when `scanObject` would
    /// answer nil, or when the recorder declined a member (it said false: the scan stops there).
    package static func scanObject<Recorder: JSONMemberRecorder>(
        _ bytes: UnsafeRawBufferPointer, maximumDepth: Int, expanding: StaticString? = nil, into recorder: inout Recorder
    ) -> Bool {
        // The recorder is used in place (a copy of `Scan` would share its arrays and copy them on append).
        withUnsafeMutablePointer(to: &recorder) { recorder in
            var pass = Pass(bytes, maximumDepth: maximumDepth, expanding: expanding, recorder: recorder)
            pass.skipWhitespace()
            guard pass.index < bytes.count, bytes[pass.index] == UInt8(ascii: "{") else { return false }
            return (try? pass.document()) != nil
        }
    }

    /// Whether the text is one valid JSON value nesting no deeper than `maximumDepth`.
    package static func isValid(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) -> Bool {
        var none = NoRecord()
        return withUnsafeMutablePointer(to: &none) { none in
            var pass = Pass(bytes, maximumDepth: maximumDepth, expanding: nil, recorder: none)
            return (try? pass.document()) != nil
        }
    }

    /// True when `range` of `bytes` holds exactly `word` (a member name, a literal). Inlined: with the word
    /// known where it is called, most calls come down to comparing two lengths.
    @inline(__always)
    package static func bytes(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, equal word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount, range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        let expected = word.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }

    private struct Refusal: Error {}

    /// "1" for each byte a string may hold as it is (printable ASCII other than the quote and the
    /// backslash), "0" for the rest: a control byte, a quote or backslash, or a byte of a UTF-8 sequence.
    /// Rows of 32 bytes, from 0x00. A literal: its bytes are constant data, read without any set-up.
    private static var plainTable: StaticString {
        """
        00000000000000000000000000000000\
        11011111111111111111111111111111\
        11111111111111111111111111110111\
        11111111111111111111111111111111\
        00000000000000000000000000000000\
        00000000000000000000000000000000\
        00000000000000000000000000000000\
        00000000000000000000000000000000
        """
    }

    /// One pass over a text: its position, and where the members it notes go.
    private struct Pass<Recorder: JSONMemberRecorder> {
        let bytes: UnsafeRawBufferPointer
        let maximumDepth: Int
        let expanding: StaticString?
        let recorder: UnsafeMutablePointer<Recorder>
        var index = 0
        /// Members of every object seen so far, for `Member.nestedMembers`.
        var membersSeen = 0
        /// `plainTable`'s bytes.
        let plain = JSONScanner.plainTable.utf8Start

        /// The bytes' start and count, read directly: every read through `bytes` checked its optional base
        /// address again. (An empty text has no base; nothing is read from it, so the table stands in.)
        let base: UnsafeRawPointer
        let count: Int

        init(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int, expanding: StaticString?, recorder: UnsafeMutablePointer<Recorder>) {
            self.bytes = bytes
            base = bytes.baseAddress ?? UnsafeRawPointer(JSONScanner.plainTable.utf8Start)
            count = bytes.count
            self.maximumDepth = maximumDepth
            self.expanding = expanding
            self.recorder = recorder
        }

        @inline(__always)
        func at(_ position: Int) -> UInt8 {
            assert(position >= 0 && position < count, "JSONScanner read outside its input")  // debug builds trap; release reads unchecked
            return base.load(fromByteOffset: position, as: UInt8.self)
        }

        mutating func document() throws(Refusal) {
            try value(level: 0)
            skipWhitespace()
            guard index == count else { throw Refusal() }
        }

        mutating func skipWhitespace() {
            while index < count {
                let byte = at(index)
                // Anything above the space is not whitespace: one comparison in the usual case.
                guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
                index += 1
            }
        }

        /// `level`: how many containers enclose this value (0 for the document itself).
        mutating func value(level: Int) throws(Refusal) {
            skipWhitespace()
            guard index < count else { throw Refusal() }
            switch at(index) {
            case UInt8(ascii: "{"): try object(level: level + 1)
            case UInt8(ascii: "["): try array(level: level + 1)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func literal(_ word: StaticString) throws(Refusal) {
            guard JSONScanner.bytes(bytes, index..<min(count, index + word.utf8CodeUnitCount), equal: word) else { throw Refusal() }
            index += word.utf8CodeUnitCount
        }

        /// `level`: this object's own nesting level (1 for the top-level object). Members are recorded at
        /// level 1, and at level 2 inside the member being expanded.
        mutating func object(level: Int, recording: Bool = false) throws(Refusal) {
            guard level <= maximumDepth else { throw Refusal() }
            index += 1
            skipWhitespace()
            if index < count, at(index) == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard index < count, at(index) == UInt8(ascii: "\"") else { throw Refusal() }
                let keyStart = index + 1
                let keyHasEscape = try string()
                let key = keyStart..<(index - 1)
                skipWhitespace()
                guard index < count, at(index) == UInt8(ascii: ":") else { throw Refusal() }
                index += 1
                skipWhitespace()
                let valueStart = index
                let membersBefore = membersSeen
                membersSeen += 1
                if level == 1, let expanding, !keyHasEscape, JSONScanner.bytes(bytes, key, equal: expanding),
                   index < count, at(index) == UInt8(ascii: "{") {
                    try object(level: 2, recording: true)
                } else {
                    try value(level: level)
                }
                if level == 1 || recording {
                    let member = Member(
                        key: key, value: valueStart..<index, keyHasEscape: keyHasEscape, nestedMembers: membersSeen - membersBefore - 1)
                    guard recorder.pointee.record(member, expanded: level != 1) else { throw Refusal() }
                }
                skipWhitespace()
                guard index < count else { throw Refusal() }
                if at(index) == UInt8(ascii: ",") { index += 1; continue }
                if at(index) == UInt8(ascii: "}") { index += 1; return }
                throw Refusal()
            }
        }

        mutating func array(level: Int) throws(Refusal) {
            guard level <= maximumDepth else { throw Refusal() }
            index += 1
            skipWhitespace()
            if index < count, at(index) == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(level: level)
                skipWhitespace()
                guard index < count else { throw Refusal() }
                if at(index) == UInt8(ascii: ",") { index += 1; continue }
                if at(index) == UInt8(ascii: "]") { index += 1; return }
                throw Refusal()
            }
        }

        /// Moves past a string (index at its opening quote), checking escapes and UTF-8; returns whether it
        /// held an escape.
        mutating func string() throws(Refusal) -> Bool {
            index += 1
            var escaped = false
            // The loop below reads through locals: through `self` it reloaded the table for every byte.
            let base = self.base, count = self.count, plain = self.plain
            while index < count {
                // Runs of plain ASCII (nearly all of most strings) in a tight loop over a local position, one
                // table look-up per byte instead of four comparisons.
                var position = index
                while position < count, plain[Int(base.load(fromByteOffset: position, as: UInt8.self))] == UInt8(ascii: "1") {
                    position += 1
                }
                index = position
                guard index < count else { break }
                let byte = at(index)
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return escaped
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                    guard index < count else { throw Refusal() }
                    let escape = at(index)
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        try unicodeEscape()
                    default:
                        throw Refusal()
                    }
                } else if byte < 0x80 {
                    guard byte >= 0x20 else { throw Refusal() }
                    index += 1
                } else {
                    try multibyteSequence()
                }
            }
            throw Refusal()
        }

        /// One UTF-8 sequence of two to four bytes, as the Unicode standard allows them (table 3-7: no
        /// overlong forms, no surrogates, nothing past U+10FFFF) — what `String(validating:)` accepts.
        mutating func multibyteSequence() throws(Refusal) {
            let lead = at(index)
            let length: Int
            var secondLow: UInt8 = 0x80
            var secondHigh: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondLow = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondHigh = 0x9F
            case 0xF0: length = 4; secondLow = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondHigh = 0x8F
            default: throw Refusal()
            }
            guard index + length <= count else { throw Refusal() }
            let second = at(index + 1)
            guard second >= secondLow, second <= secondHigh else { throw Refusal() }
            var offset = 2
            while offset < length {
                guard at(index + offset) & 0xC0 == 0x80 else { throw Refusal() }
                offset += 1
            }
            index += length
        }

        /// A `\uXXXX` escape (index just past the `u`); a high surrogate must be followed by an escaped low one.
        mutating func unicodeEscape() throws(Refusal) {
            let code = try hex4()
            if (0xD800...0xDBFF).contains(code) {
                guard index + 1 < count, at(index) == UInt8(ascii: "\\"), at(index + 1) == UInt8(ascii: "u") else { throw Refusal() }
                index += 2
                guard (0xDC00...0xDFFF).contains(try hex4()) else { throw Refusal() }
            } else if (0xDC00...0xDFFF).contains(code) {
                throw Refusal()
            }
        }

        mutating func hex4() throws(Refusal) -> UInt32 {
            guard index + 4 <= count else { throw Refusal() }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = at(index)
                let digit: UInt32 = switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw Refusal()
                }
                code = code << 4 | digit
                index += 1
            }
            return code
        }

        /// A number in JSON's grammar that a Double can hold (the parser refuses infinities). Only numbers
        /// that could be out of range are converted: an integer of up to 18 digits fits Int64, and a number
        /// without exponent whose integer part has at most 308 digits is below 1e308.
        mutating func number() throws(Refusal) {
            let start = index
            if index < count, at(index) == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            skipDigits()
            guard index > digitsStart else { throw Refusal() }
            guard !(at(digitsStart) == UInt8(ascii: "0") && index - digitsStart > 1) else { throw Refusal() }
            let integerDigits = index - digitsStart
            var integral = true
            if index < count, at(index) == UInt8(ascii: ".") {
                integral = false
                index += 1
                let fraction = index
                skipDigits()
                guard index > fraction else { throw Refusal() }
            }
            var exponent = false
            if index < count, at(index) == UInt8(ascii: "e") || at(index) == UInt8(ascii: "E") {
                exponent = true
                integral = false
                index += 1
                if index < count, at(index) == UInt8(ascii: "+") || at(index) == UInt8(ascii: "-") { index += 1 }
                let exponentStart = index
                skipDigits()
                guard index > exponentStart else { throw Refusal() }
            }
            if integral && index - start <= 18 { return }
            if !exponent && integerDigits <= 308 { return }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw Refusal() }
        }

        mutating func skipDigits() {
            while index < count, at(index) >= UInt8(ascii: "0"), at(index) <= UInt8(ascii: "9") { index += 1 }
        }
    }
}

/// Where a scan puts the members it notes: `JSONScanner.Scan` keeps them all in arrays; the hot paths
/// keep only the few they read, so a scan allocates nothing for them.
package protocol JSONMemberRecorder {
    /// A member of the top-level object (`expanded` false), or of the top-level member being expanded
    /// (true), in the order they end in the text. False stops the scan: the caller will not take this text.
    mutating func record(_ member: JSONScanner.Member, expanded: Bool) -> Bool
}
