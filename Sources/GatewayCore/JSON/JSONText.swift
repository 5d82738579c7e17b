
/// A JSON document kept as the text it arrived in. Editors' results can be many MiB (a whole scene
/// tree): building a tree of values only to write it out again cost more than the rest of the path
/// together, so a result is checked once by the parser and handed to the MCP host as the editor wrote it.
package struct JSONText: Sendable, CustomStringConvertible {
    /// Valid JSON, valid UTF-8.
    package let text: String

    /// Bytes whose syntax the parser has already checked (`JSONParser.parse(_:keepingTextOf:)`); nil if
    /// they are not UTF-8.
    init?(checkedBytes: ArraySlice<UInt8>) {
        guard let text = String(validating: checkedBytes, as: UTF8.self) else { return nil }
        self.text = text
    }

    /// Bytes `JSONScanner` has already checked, syntax and UTF-8 both.
    package init(scannedBytes: UnsafeRawBufferPointer) {
        text = String(decoding: scannedBytes, as: UTF8.self)
    }

    package init(_ value: JSONValue) {
        text = value.jsonText
    }

    /// The document as values; for the rare reader that needs to look inside (and for tests).
    package var value: JSONValue { (try? JSONParser.parse(Array(text.utf8))) ?? .null }

    package var description: String { text }
}

/// Equal when the documents are equal, however each was spaced or ordered.
extension JSONText: Equatable {
    package static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.text == rhs.text || lhs.value == rhs.value }
}

extension JSONText: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    package init(stringLiteral value: String) { self.init(.string(value)) }
    package init(integerLiteral value: Int64) { self.init(.int(value)) }
    package init(nilLiteral: ()) { self.init(.null) }
    package init(arrayLiteral elements: JSONValue...) { self.init(.array(elements)) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(.object(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
}
