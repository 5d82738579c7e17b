import Foundation

/// A JSON document as the wire carries it. Editors send arbitrary results, so the gateway keeps them as values
/// rather than decoding into fixed types, and re-encodes them unchanged for the MCP host.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Any JSON number as a Double.
    public var doubleValue: Double? {
        switch self {
        case .int(let integer): Double(integer)
        case .double(let number): number
        default: nil
        }
    }
}

extension JSONValue {
    /// Parses one JSON document; the error text is meant for the peer that sent it.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONParser.parse(data)
    }

    /// Compact JSON text with sorted keys, so equal values always serialise the same way.
    public var jsonText: String { JSONWriter.write(self, pretty: false) }

    /// The same, indented, for text a person (or a model) reads.
    public var prettyJSONText: String { JSONWriter.write(self, pretty: true) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
