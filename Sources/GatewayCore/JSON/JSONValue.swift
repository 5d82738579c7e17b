
/// A JSON document as the wire carries it. Editors send arbitrary results, so the gateway keeps them as values
/// rather than decoding into fixed types, and re-encodes them unchanged for the MCP host.
package enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    package var intValue: Int64? {
        if case .int(let integer) = self { return integer }
        return nil
    }

    package var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Any JSON number as a Double.
    package var doubleValue: Double? {
        switch self {
        case .int(let integer): Double(integer)
        case .double(let number): number
        default: nil
        }
    }
}

extension JSONValue {
    /// Parses one JSON document; the error text is meant for the peer that sent it.
    package static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONParser.parse(bytes: bytes)
    }

    /// Parses bytes held in another collection (tests and the socket layer hold `Data` at times).
    package static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONValue where Bytes.Element == UInt8 {
        try JSONParser.parse(bytes: Array(bytes))
    }

    /// Compact JSON text with sorted keys, so equal values always serialise the same way.
    package var jsonText: String { JSONWriter.write(self, pretty: false) }

    /// The same, indented, for text a person (or a model) reads.
    package var prettyJSONText: String { JSONWriter.write(self, pretty: true) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .int(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(floatLiteral value: Double) { self = .double(value) }
    package init(nilLiteral: ()) { self = .null }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
