import Testing
@testable import GatewayCore

@Suite struct LeadingIdentifierTests {
    private func find(_ text: String) -> LeadingIdentifier.Value? {
        LeadingIdentifier.find(in: Array(text.utf8))
    }

    @Test func findsTheTopLevelIdWhereverItIs() {
        #expect(find(#"{"id":"abc","result":{"#) == .string("abc"))
        #expect(find(#" { "jsonrpc" : "2.0", "id" : 42 , "method":"x""#) == .number("42"))
        #expect(find(#"{"params":{"id":"inner","list":[{"id":1}]},"id":"outer"}"#) == .string("outer"))
        #expect(find(#"{"a":"with \"quotes\" and } braces","id":"x\"y"}"#) == .string("x\"y"))
    }

    @Test func givesUpRatherThanGuess() {
        #expect(find(#"{"result":[1,2,3"#) == nil)  // cut before the id
        #expect(find(#"{"id":12"#) == nil)  // a number cut by the end may be missing digits
        #expect(find(#"["id","x"]"#) == nil)
        #expect(find("not json") == nil)
        #expect(find(#"{"id":{"nested":1}}"#) == nil)
    }

    @Test func theIdIsWrittenBackAsJSON() {
        #expect(LeadingIdentifier.Value.string("a\"b").jsonText == #""a\"b""#)
        #expect(LeadingIdentifier.Value.number("-3").jsonText == "-3")
    }
}
