import Testing
@testable import GatewayEngine

/// The send-queue cap: a peer that lets output pile up unread is refused (and dropped by the socket
/// layer) instead of growing the gateway's memory, but one message alone always fits.
@Suite struct OutboxCapTests {
    @Test func oneMessageAloneFitsWhateverItsSize() {
        let harness = OutboxHarness.open()
        #expect(harness.enqueue(.text(message(5000)), limit: 100) == .queued(.inBatch))
        #expect(harness.outbox.queuedBytes == 5000)
    }

    @Test func aMessageThatWouldCrossTheLimitIsRefusedAndNotQueued() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(60)), limit: 100)
        #expect(harness.enqueue(.text(message(40)), limit: 100) == .queued(.nothing))
        #expect(harness.enqueue(.text(message(1)), limit: 100) == .refused(queuedBytes: 100))
        #expect(harness.outbox.queuedBytes == 100)
        #expect(harness.write() == .framedRun(messages: 2, byteCount: 104))
        #expect(!harness.outbox.hasPendingOutput)
    }

    @Test func writtenMessagesFreeTheirRoom() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(80)), limit: 100)
        #expect(harness.enqueue(.text(message(80)), limit: 100) == .refused(queuedBytes: 80))
        #expect(harness.batchTurnEnded() == .now)
        _ = harness.write()
        #expect(harness.outbox.queuedBytes == 0)
        #expect(harness.enqueue(.text(message(80)), limit: 100) == .queued(.inBatch))
    }

    @Test func pingsAndClosesDoNotCountAgainstTheCap() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(100)), limit: 100)
        #expect(harness.enqueue(.ping, limit: 100) == .queued(.nothing))
        #expect(harness.enqueue(.close(code: 1000, reason: "bye"), limit: 100) == .queued(.nothing))
        #expect(harness.outbox.queuedBytes == 100)
    }

    @Test func aFragmentedMessageCountsUntilItsLastFragmentLeaves() {
        let harness = OutboxHarness.open(framesServerSide: false)
        harness.enqueue(.binary(message(Outbox.fragmentSize + 10)))
        _ = harness.write()
        #expect(harness.outbox.queuedBytes == Outbox.fragmentSize + 10)
        _ = harness.write()
        #expect(harness.outbox.queuedBytes == 0)
    }
}
