import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Reassembly of incoming messages under the size cap: a message over the cap is reported with its first
/// bytes (to find whose answer it was) and the rest of it is thrown away unread.
@Suite struct InboxTests {
    /// Holds an inbox and feeds it as lws' RECEIVE callback would (a class, so that tests can call it
    /// inside `#expect`).
    final class Feeder {
        var inbox = Inbox()
        var isDiscardingRest: Bool { inbox.isDiscardingRest }

        init() {}

        func feed(_ chunk: [UInt8], final: Bool, binary: Bool = false, limit: Int = 100) -> Inbox.Result {
            chunk.withUnsafeBytes { inbox.receive($0, isFinal: final, isBinary: binary, limit: limit) }
        }
    }

    @Test func chunksAreJoinedUntilTheFinalOne() {
        let inbox = Feeder()
        #expect(inbox.feed(Array("{\"id\":".utf8), final: false) == .incomplete)
        #expect(inbox.feed(Array("1".utf8), final: false) == .incomplete)
        #expect(inbox.feed(Array("}".utf8), final: true) == .message(Array("{\"id\":1}".utf8), isBinary: false))
        #expect(inbox.feed([1, 2], final: true, binary: true) == .message([1, 2], isBinary: true))
    }

    @Test func aMessageOfExactlyTheLimitIsTaken() {
        let inbox = Feeder()
        #expect(inbox.feed(message(60), final: false) == .incomplete)
        #expect(inbox.feed(message(40), final: true) == .message(message(100), isBinary: false))
    }

    @Test func crossingTheCapMidMessageDiscardsTheRestUntilItsFinalChunk() {
        let inbox = Feeder()
        #expect(inbox.feed(message(60, seed: 0x61), final: false) == .incomplete)
        #expect(inbox.feed(message(41, seed: 0x62), final: false) == .tooLarge(head: message(60, seed: 0x61) + message(41, seed: 0x62)))
        #expect(inbox.isDiscardingRest)
        #expect(inbox.feed(message(10), final: false) == .incomplete)
        #expect(inbox.feed(message(10), final: true) == .incomplete)
        #expect(!inbox.isDiscardingRest)
        #expect(inbox.feed(Array("{}".utf8), final: true) == .message(Array("{}".utf8), isBinary: false))
    }

    @Test func crossingTheCapWithTheFinalChunkDiscardsNothingAfter() {
        let inbox = Feeder()
        #expect(inbox.feed(message(101), final: true) == .tooLarge(head: message(101)))
        #expect(!inbox.isDiscardingRest)
        #expect(inbox.feed([0x7B, 0x7D], final: true) == .message([0x7B, 0x7D], isBinary: false))
    }

    @Test func theHeadIsTheFirstBytesTheLeadingIdFinderSearches() {
        let prefix = LeadingIdentifier.searchedPrefix
        let limit = prefix * 4
        let inbox = Feeder()
        // Earlier chunks shorter than the searched prefix: the head continues into the chunk that crossed.
        #expect(inbox.feed(message(prefix - 100, seed: 0x61), final: false, limit: limit) == .incomplete)
        #expect(inbox.feed(message(limit, seed: 0x62), final: true, limit: limit)
            == .tooLarge(head: message(prefix - 100, seed: 0x61) + message(100, seed: 0x62)))
        // Earlier chunks longer than the prefix: only their first bytes.
        #expect(inbox.feed(message(prefix + 10, seed: 0x63), final: false, limit: limit) == .incomplete)
        #expect(inbox.feed(message(limit, seed: 0x64), final: false, limit: limit) == .tooLarge(head: message(prefix, seed: 0x63)))
    }

    @Test func theIdOfATooLargeRequestCanBeFoundInItsHead() {
        let inbox = Feeder()
        let start = Array(#"{"id":"call-7","result":""#.utf8)
        #expect(inbox.feed(start, final: false) == .incomplete)
        guard case .tooLarge(let head) = inbox.feed(message(200), final: false) else {
            Issue.record("expected tooLarge")
            return
        }
        #expect(LeadingIdentifier.find(in: head)?.jsonText == #""call-7""#)
    }
}
