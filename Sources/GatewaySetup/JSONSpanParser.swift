/// A JSON document parsed into nodes that remember where they sit in the text, so `configure` can change
/// one entry by splicing bytes and leave every other byte (order, spacing, numbers, comments) as it was.
/// With `allowsComments` it also reads JSONC (// and /* */ comments, trailing commas), as VS Code does.
struct JSONSpanNode {
    indirect enum Kind {
        case object([JSONSpanMember])
        case array([JSONSpanNode])
        case string(String)
        case number
        case literal
    }

    var kind: Kind
    /// Byte offsets of the value in the document's UTF-8.
    var range: Range<Int>

    var members: [JSONSpanMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    func member(_ key: String) -> JSONSpanMember? {
        members?.last { $0.key == key }
    }

    var stringValue: String? {
        if case .string(let text) = kind { return text }
        return nil
    }
}

struct JSONSpanMember {
    var key: String
    var keyRange: Range<Int>
    var value: JSONSpanNode
}

struct JSONSpanParser {
    struct Failure: Error, CustomStringConvertible {
        var reason: String
        var line: Int
        var column: Int
        var description: String { "line \(line), column \(column): \(reason)" }
    }

    private let bytes: [UInt8]
    private let allowsComments: Bool
    private var index = 0
    private static let maximumDepth = 256

    static func parse(_ bytes: [UInt8], allowsComments: Bool) throws -> JSONSpanNode {
        var parser = JSONSpanParser(bytes: bytes, allowsComments: allowsComments)
        // A byte-order mark is tolerated at the very start (Windows editors write one).
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        try parser.skipTrivia()
        let root = try parser.value(depth: 0)
        try parser.skipTrivia()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the document") }
        return root
    }

    private init(bytes: [UInt8], allowsComments: Bool) {
        self.bytes = bytes
        self.allowsComments = allowsComments
    }

    private func failure(_ reason: String) -> Failure {
        var line = 1
        var lineStart = 0
        for (offset, byte) in bytes[..<min(index, bytes.count)].enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = offset + 1
        }
        return Failure(reason: reason, line: line, column: index - lineStart + 1)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipTrivia() throws {
        while let byte = current {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "/") where allowsComments && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/"):
                while let next = current, next != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where allowsComments && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                guard index + 1 < bytes.count else { throw failure("unterminated comment") }
                index += 2
            default:
                return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSONSpanNode {
        guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
        guard let byte = current else { throw failure("unexpected end of the file") }
        let start = index
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""):
            let text = try string()
            return JSONSpanNode(kind: .string(text), range: start..<index)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return JSONSpanNode(kind: .number, range: start..<index)
        default:
            throw failure("unexpected character")
        }
        return JSONSpanNode(kind: .literal, range: start..<index)
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw failure("expected \(word)") }
        index += expected.count
    }

    private mutating func number() throws {
        if current == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        guard index > digitsStart else { throw failure("expected a digit") }
        if bytes[digitsStart] == UInt8(ascii: "0"), index - digitsStart > 1 { throw failure("leading zero in a number") }
        if current == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            guard index > fractionStart else { throw failure("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            guard index > exponentStart else { throw failure("expected a digit in the exponent") }
        }
    }

    private mutating func object(depth: Int) throws -> JSONSpanNode {
        let start = index
        index += 1
        var members: [JSONSpanMember] = []
        try skipTrivia()
        while current != UInt8(ascii: "}") {
            guard current == UInt8(ascii: "\"") else { throw failure(members.isEmpty ? "expected a key or '}'" : "expected a key") }
            let keyStart = index
            let key = try string()
            let keyRange = keyStart..<index
            try skipTrivia()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            try skipTrivia()
            members.append(JSONSpanMember(key: key, keyRange: keyRange, value: try value(depth: depth + 1)))
            try skipTrivia()
            if current == UInt8(ascii: ",") {
                index += 1
                try skipTrivia()
                if current == UInt8(ascii: "}"), !allowsComments { throw failure("trailing comma") }
            } else if current != UInt8(ascii: "}") {
                throw failure("expected ',' or '}'")
            }
        }
        index += 1
        return JSONSpanNode(kind: .object(members), range: start..<index)
    }

    private mutating func array(depth: Int) throws -> JSONSpanNode {
        let start = index
        index += 1
        var elements: [JSONSpanNode] = []
        try skipTrivia()
        while current != UInt8(ascii: "]") {
            guard current != nil else { throw failure("unexpected end of the file") }
            elements.append(try value(depth: depth + 1))
            try skipTrivia()
            if current == UInt8(ascii: ",") {
                index += 1
                try skipTrivia()
                if current == UInt8(ascii: "]"), !allowsComments { throw failure("trailing comma") }
            } else if current != UInt8(ascii: "]") {
                throw failure("expected ',' or ']'")
            }
        }
        index += 1
        return JSONSpanNode(kind: .array(elements), range: start..<index)
    }

    private mutating func string() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flushRun(_ end: Int) throws {
            guard runStart < end else { return }
            guard let run = String(validating: bytes[runStart..<end], as: UTF8.self) else { throw failure("text is not UTF-8") }
            scalars.append(contentsOf: run.unicodeScalars)
        }
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                try flushRun(index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flushRun(index)
                index += 1
                scalars.append(try escape())
                runStart = index
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func escape() throws -> Unicode.Scalar {
        guard let byte = current else { throw failure("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high) {
                guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else { throw failure("lone surrogate") }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low),
                      let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else { throw failure("bad surrogate pair") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw failure("lone surrogate") }
            return scalar
        default:
            throw failure("unknown escape")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw failure("expected four hex digits")
        }
        index += 4
        return value
    }
}
