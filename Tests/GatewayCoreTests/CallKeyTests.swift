import Testing
@testable import GatewayCore

/// `CallKey`: an integer id in its shortest form is held as an integer, any other id as its text, so two
/// keys are equal exactly when the ids' JSON texts are (what the dispatcher keyed its calls by before).
@Suite struct CallKeyTests {
    @Test func integersInTheirShortestFormAreNumbers() {
        #expect(CallKey(idText: "0") == .number(0))
        #expect(CallKey(idText: "1") == .number(1))
        #expect(CallKey(idText: "-42") == .number(-42))
        #expect(CallKey(idText: String(Int.max)) == .number(Int.max))
        #expect(CallKey(idText: String(Int.min)) == .number(Int.min))
    }

    @Test func everyOtherIdKeepsItsText() {
        // A string id with the same digits is another id: its text has the quotes.
        #expect(CallKey(idText: #""1""#) == .text(#""1""#))
        for text in ["01", "-0", "+1", "1.0", "1e3", "-", "", "9223372036854775808", "-9223372036854775809", "12a"] {
            #expect(CallKey(idText: text) == .text(text), "\(text)")
        }
    }

    @Test func keysAreEqualExactlyWhenTheTextsAre() {
        let texts = ["1", #""1""#, "1.0", "01", "-1", "-0", "0", #""a""#, "18446744073709551616"]
        for first in texts {
            for second in texts {
                #expect((CallKey(idText: first) == CallKey(idText: second)) == (first == second), "\(first) \(second)")
            }
        }
    }
}
