import Testing
@testable import GatewayEngine

/// A close leaves after what was queued before it and is never taken off the queue (the connection ends
/// with it); a dropped outbox (the peer did not read, or its handle is gone) takes and writes nothing.
@Suite struct OutboxCloseAndDropTests {
    @Test func aCloseLeavesAfterTheMessagesQueuedBeforeIt() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        harness.enqueue(.close(code: 4003, reason: "replaced"))
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 12))
        #expect(harness.write() == .close(code: 4003, reason: "replaced"))
    }

    @Test func aCloseStaysAtTheHead() {
        let harness = OutboxHarness.open()
        harness.enqueue(.close(code: 1000, reason: ""))
        harness.enqueue(.text(message(10)))
        let step = harness.nextStep(inWritableCallback: true)
        #expect(step == .close(code: 1000, reason: ""))
        #expect(!harness.wrote(step))
        #expect(harness.write(inWritableCallback: true) == .close(code: 1000, reason: ""))
    }

    @Test func aFragmentedMessageFinishesBeforeTheClose() {
        let harness = OutboxHarness.open(framesServerSide: false)
        harness.enqueue(.text(message(Outbox.fragmentSize + 5)))
        harness.enqueue(.close(code: 1001, reason: "bye"))
        guard case .fragment(_, _, true, false) = harness.write() else { Issue.record("expected the first fragment"); return }
        guard case .fragment(_, _, false, true) = harness.write() else { Issue.record("expected the last fragment"); return }
        #expect(harness.write() == .close(code: 1001, reason: "bye"))
    }

    @Test func aDroppedOutboxQueuesAndWritesNothing() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        harness.outbox.drop()
        #expect(!harness.outbox.hasPendingOutput)
        #expect(harness.outbox.queuedBytes == 0)
        #expect(harness.enqueue(.text(message(10)), limit: 1) == .dropped)
        #expect(harness.write(inWritableCallback: true) == .nothing)
    }

    @Test func aWriteReportedAfterADropChangesNothing() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        let step = harness.nextStep(inWritableCallback: false)
        harness.outbox.drop()
        #expect(!harness.wrote(step))
        #expect(harness.outbox.queuedBytes == 0)
    }

    @Test func aLongQueueDrainsInOrderAcrossCompactions() {
        let harness = OutboxHarness.open(framesServerSide: false)
        for index in 0..<200 { harness.enqueue(.text([UInt8(index)])) }
        var seen: [UInt8] = []
        while case .fragment(let bytes, _, _, _) = harness.write() { seen += bytes }
        #expect(seen == (0..<200).map { UInt8($0) })
        #expect(harness.outbox.queuedBytes == 0)
    }
}
