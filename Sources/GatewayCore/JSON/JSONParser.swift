
/// A single-pass JSON parser into `JSONValue`. Foundation's `JSONDecoder` reaches `JSONValue` only by
/// trying each type in turn and throwing on every miss, which cost hundreds of microseconds per MCP
/// call; this reads each byte once. It also bounds nesting itself, so no input can exhaust the stack.
package struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    package static let maximumDepth = 512
    /// Nesting allowed inside a kept value (an editor's result, passed on as text): a scene tree nests two
    /// levels per node, so this covers a 500-node-deep scene. Messages the gateway interprets are held
    /// to far less before they reach the parser (`InboundMessage.maximumDepth`).
    package static let maximumKeptDepth = 1024

    private let bytes: [UInt8]
    private var index = 0
    /// A member of the top-level object whose value is checked but not built (see `JSONText`).
    private var keptKey: String?
    private var keptRange: Range<Int>?

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// For other modules: a concrete signature, so the generic body is specialised here, not called
    /// unspecialised across the module boundary.
    package static func parse(bytes input: [UInt8]) throws -> JSONValue {
        try parse(input)
    }

    static func parse<Bytes: Collection>(_ input: Bytes) throws -> JSONValue where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(input))
        return try parser.document()
    }

    /// Parses like `parse`, except that the value of `key` in the top-level object is only checked, not
    /// built: the returned value holds null in its place, and its text comes back beside it.
    static func parse<Bytes: Collection>(
        _ input: Bytes, keepingTextOf key: String
    ) throws -> (JSONValue, JSONText?) where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(input))
        parser.keptKey = key
        let value = try parser.document()
        guard let range = parser.keptRange else { return (value, nil) }
        // Skipping checks syntax only; UTF-8 is checked here, over the whole kept text in one pass.
        guard let text = JSONText(checkedBytes: parser.bytes[range]) else { throw Failure(description: "invalid UTF-8 in '\(key)'") }
        return (value, text)
    }

    /// One value and nothing after it.
    private mutating func document() throws -> JSONValue {
        let value = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the value") }
        return value
    }

    private func failure(_ reason: String) -> Failure {
        Failure(description: "\(reason) at byte \(index)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw failure("invalid literal")
        }
        index += expected.count
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            if depth == 0, key == keptKey {
                skipWhitespace()
                let start = index
                try skipValue(depth: depth + 1)
                keptRange = start..<index
                members[key] = .null
            } else {
                members[key] = try value(depth: depth + 1)
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func string() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        guard index < bytes.count else { throw failure("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return try validated(bytes[start..<index])
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try validated(scalars[...])
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    scalars.append(contentsOf: Array(String(Character(try unicodeEscape())).utf8))
                default:
                    throw failure("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw failure("control character in string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// The scalar of a `\\uXXXX` escape (a surrogate pair takes two), with `index` just past the `u`.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("lone surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw failure("lone surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("invalid code point") }
        return scalar
    }

    // MARK: Checking without building

    /// Checks one value's syntax, nesting included, without building it. UTF-8 is left to
    /// `parse(_:keepingTextOf:)`, which checks the whole kept text in one pass.
    private mutating func skipValue(depth: Int) throws {
        guard depth <= Self.maximumKeptDepth else { throw failure("nested too deeply") }
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try skipContainer(depth: depth, closing: UInt8(ascii: "}"), members: true)
        case UInt8(ascii: "["):
            try skipContainer(depth: depth, closing: UInt8(ascii: "]"), members: false)
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            // Agree with `number()` on what is out of range, without converting the common short numbers.
            let (start, integral) = try scanNumber()
            if !integral || index - start > 18 {
                guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)), number.isFinite else {
                    throw failure("number out of range")
                }
            }
        }
    }

    private mutating func skipContainer(depth: Int, closing: UInt8, members: Bool) throws {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == closing {
            index += 1
            return
        }
        while true {
            if members {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
                try skipString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
            }
            try skipValue(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == closing { index += 1; return }
            throw failure(members ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }

    private mutating func skipString() throws {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            guard byte >= 0x20 else { throw failure("control character in string") }
            index += 1
            guard byte == UInt8(ascii: "\\") else { continue }
            guard index < bytes.count else { throw failure("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                break
            case UInt8(ascii: "u"):
                _ = try unicodeEscape()
            default:
                throw failure("invalid escape")
            }
        }
        throw failure("unterminated string")
    }

    private func validated(_ slice: ArraySlice<UInt8>) throws -> String {
        // `String(validating:)` runs an unspecialised generic check costing about a thousand instructions
        // even for a short string; ASCII (nearly every key and most values) needs no check at all.
        let text = slice.withUnsafeBufferPointer { buffer in
            buffer.allSatisfy { $0 < 0x80 } ? String(decoding: buffer, as: UTF8.self) : String(validating: buffer, as: UTF8.self)
        }
        guard let text else { throw failure("invalid UTF-8 in string") }
        return text
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape")
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }

    private mutating func number() throws -> JSONValue {
        let (start, integral) = try scanNumber()
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let integer = Int64(text) { return .int(integer) }
        guard let number = Double(text), number.isFinite else { throw failure("number out of range") }
        return .double(number)
    }

    /// Moves past a number, checking its grammar; returns where it started and whether it is integral.
    private mutating func scanNumber() throws -> (start: Int, integral: Bool) {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw failure("invalid value") }
        guard !(bytes[digitsStart] == UInt8(ascii: "0") && index - digitsStart > 1) else { throw failure("leading zero") }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            let fraction = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fraction else { throw failure("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > exponent else { throw failure("invalid number") }
        }
        return (start, integral)
    }
}
