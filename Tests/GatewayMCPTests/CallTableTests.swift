import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// `CallTable` must behave as the `[CallKey: Value]` it replaced: the same answers to every find, insert
/// and removal, whatever the keys, including when they all collide.
@Suite struct CallTableTests {
    /// A small deterministic generator, so that a failure can be replayed.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    private func key(_ number: Int) -> CallKey {
        // A third of the keys are texts: string ids, and one that reads like an integer but is not one.
        switch number % 3 {
        case 0: .text("\"id-\(number)\"")
        case 1: .text("\"\(number)\"")
        default: .number(number)
        }
    }

    private func check(_ table: CallTable<Int>, against reference: [CallKey: Int], keys: Range<Int>) {
        #expect(table.count == reference.count)
        #expect(table.values.sorted() == reference.values.sorted())
        for number in keys { #expect(table[key(number)] == reference[key(number)], "key \(number)") }
    }

    @Test(arguments: [UInt64(1), 0x9E37_79B9_7F4A_7C15, 0])
    func answersAsADictionaryWould(multiplier: UInt64) {
        var generator = SplitMix(state: multiplier)
        var table = multiplier == 0 ? CallTable<Int>() : CallTable<Int>(multiplier: multiplier)
        var reference: [CallKey: Int] = [:]
        for step in 0..<6_000 {
            let number = Int.random(in: 0..<96, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                table[key(number)] = step
                reference[key(number)] = step
            case 5..<9:
                #expect(table.removeValue(forKey: key(number)) == reference.removeValue(forKey: key(number)))
            default:
                #expect(table[key(number)] == reference[key(number)])
            }
            if step % 500 == 0 { check(table, against: reference, keys: 0..<96) }
        }
        check(table, against: reference, keys: 0..<96)
        table.removeAll()
        #expect(table.isEmpty && table.values.isEmpty && table[key(2)] == nil)
    }

    @Test func growsPastItsFirstSizeAndKeepsEveryCall() {
        var table = CallTable<Int>(multiplier: 1)  // every small integer starts at slot 0
        for number in 0..<1_000 { table[.number(number)] = number }
        #expect(table.count == 1_000)
        for number in stride(from: 0, to: 1_000, by: 2) { #expect(table.removeValue(forKey: .number(number)) == number) }
        for number in 0..<1_000 { #expect(table[.number(number)] == (number % 2 == 1 ? number : nil)) }
        // Equal keys are equal texts: 1 and "1" and -0 stay apart, a repeated id replaces the earlier value.
        table[.text("1")] = -1
        table[.text("\"1\"")] = -2
        table[.number(1)] = -3
        #expect(table[.text("1")] == -1 && table[.text("\"1\"")] == -2 && table[.number(1)] == -3)
        #expect(CallKey(idText: "-0") != CallKey(idText: "0"))
        // Texts are equal when their bytes are (as CallKey says): é and e + combining accent are two calls.
        table[.text("\"\u{E9}\"")] = -4
        table[.text("\"e\u{301}\"")] = -5
        #expect(table[.text("\"\u{E9}\"")] == -4 && table[.text("\"e\u{301}\"")] == -5)
        #expect(table.contains(.text("\"e\u{301}\"")) && !table.contains(.text("\"e\"")))
    }
}
