import Foundation
import Testing
@testable import GatewayCore

@Suite struct JSONTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5, 3e2, true, false, null, "x"], "b": {}, "c": [], "n": -0} "#)
        #expect(value == ["a": [1, -2.5, 300.0, true, false, nil, "x"], "b": [:], "c": [], "n": 0])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
    }

    @Test func refusesWhatIsNotJSON() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\\ud800\"", "\"a\u{01}\"", "[1] 2", "{\"a\":1,}", "NaN", "1e999"] {
            #expect(throws: (any Error).self, "\(bad)") { try parse(bad) }
        }
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }  // invalid UTF-8
        #expect(throws: (any Error).self) { try parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) }
    }

    @Test func bigIntegersBecomeDoubles() throws {
        #expect(try parse("123456789012345678901234567890") == .double(123456789012345678901234567890))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
    }

    @Test func writesSortedCompactAndPrettyText() throws {
        let value: JSONValue = ["b": [1, 2.5, "q\"\n\u{01}"], "a": nil, "c": true]
        #expect(value.jsonText == #"{"a":null,"b":[1,2.5,"q\"\n\u0001"],"c":true}"#)
        #expect(try parse(value.prettyJSONText) == value)
        #expect(try parse(value.jsonText) == value)
    }

    @Test func foundationReadsWhatWeWrite() throws {
        let source = #"{"emoji":"😀","list":[1,2,3],"nested":{"x":[{"y":false}]},"quote":"a\"b\\c\u0001"}"#
        let value = try parse(source)
        let ours = try JSONSerialization.jsonObject(with: Data(value.jsonText.utf8)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(source.utf8)) as? NSDictionary
        #expect(ours != nil && ours == original)
    }
}
