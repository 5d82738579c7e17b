/// A JSON value `configure` writes (an entry and its parts), kept in the order it is meant to appear.
package indirect enum SetupJSON: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case null
    case array([SetupJSON])
    case object([(String, SetupJSON)])

    package static func == (lhs: SetupJSON, rhs: SetupJSON) -> Bool { lhs.compact == rhs.compact }

    /// One line, no spaces beyond ", " and ": " (the style of a short inline value).
    package var compact: String { rendered(indent: "", unit: nil) }

    /// Pretty text whose first line continues the current one and whose closing brace sits at `indent`.
    /// Arrays of scalars stay on one line, as people write `"args": ["--port", "9000"]`.
    package func rendered(indent: String, unit: String?, newline: String = "\n") -> String {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .null: return "null"
        case .array(let elements):
            let holdsObjects = elements.contains { if case .object = $0 { true } else { false } }
            guard let unit, holdsObjects else {
                return "[" + elements.map { $0.rendered(indent: indent, unit: nil) }.joined(separator: ", ") + "]"
            }
            let inner = indent + unit
            return "[" + newline + elements.map { inner + $0.rendered(indent: inner, unit: unit, newline: newline) }
                .joined(separator: "," + newline) + newline + indent + "]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            guard let unit else {
                return "{" + members.map { "\(Self.quoted($0.0)): \($0.1.compact)" }.joined(separator: ", ") + "}"
            }
            let inner = indent + unit
            let lines = members.map { "\(inner)\(Self.quoted($0.0)): \($0.1.rendered(indent: inner, unit: unit, newline: newline))" }
            return "{" + newline + lines.joined(separator: "," + newline) + newline + indent + "}"
        }
    }

    package static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

extension JSONSpanNode {
    /// The value written the same way whatever the spacing or member order, to tell whether an existing
    /// value already says what `configure` would write.
    func canonical(in bytes: [UInt8]) -> String {
        switch kind {
        case .object(let members):
            let sorted = members.sorted { $0.key < $1.key }
            return "{" + sorted.map { SetupJSON.quoted($0.key) + ":" + $0.value.canonical(in: bytes) }.joined(separator: ",") + "}"
        case .array(let elements):
            return "[" + elements.map { $0.canonical(in: bytes) }.joined(separator: ",") + "]"
        case .string(let text):
            return SetupJSON.quoted(text)
        case .number, .literal:
            return String(decoding: bytes[range], as: UTF8.self)
        }
    }
}
