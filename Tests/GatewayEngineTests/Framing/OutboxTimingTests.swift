import Testing
@testable import GatewayEngine

/// When a queued frame is written: never before the upgrade's first WRITEABLE, never while the
/// connection's own input is handled, else in the loop turn's batch (listeners' connections) or at once
/// when alone and small (the link to another gateway).
@Suite struct OutboxTimingTests {
    @Test func theFirstFrameWaitsForWriteable() {
        let harness = OutboxHarness(batched: true)
        #expect(harness.enqueue(.text(message(10))) == .queued(.onWritable))
        let unbatched = OutboxHarness(batched: false)
        #expect(unbatched.enqueue(.text(message(10))) == .queued(.onWritable))
        #expect(unbatched.canWriteNowAsked == 0)
    }

    @Test func afterTheFirstWriteFramesJoinTheBatchOnce() {
        let harness = OutboxHarness.open()
        #expect(harness.enqueue(.text(message(10))) == .queued(.inBatch))
        #expect(harness.enqueue(.text(message(10))) == .queued(.nothing))
        #expect(harness.enqueue(.ping) == .queued(.nothing))
        // A batched enqueue never asks lws whether the socket is free.
        #expect(harness.canWriteNowAsked == 0)
        #expect(harness.batchTurnEnded() == .now)
        #expect(harness.enqueue(.text(message(10))) == .queued(.inBatch))
    }

    @Test func nothingIsWrittenDirectlyWhileTheConnectionsInputIsHandled() {
        let harness = OutboxHarness.open()
        harness.outbox.handlingInput = true
        #expect(harness.enqueue(.text(message(10))) == .queued(.onWritable))
        harness.outbox.handlingInput = false
        #expect(harness.enqueue(.text(message(10))) == .queued(.inBatch))

        let unbatched = OutboxHarness.open(batched: false, framesServerSide: false)
        unbatched.outbox.handlingInput = true
        #expect(unbatched.enqueue(.text(message(10))) == .queued(.onWritable))
    }

    @Test func theEndOfTheTurnWritesDataTheSocketTakes() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        #expect(harness.batchTurnEnded(canWriteNow: false) == .onWritable)
        harness.enqueue(.text(message(10)))
        #expect(harness.batchTurnEnded(canWriteNow: true) == .now)
    }

    @Test(arguments: [Outbox.Frame.ping, .close(code: 1001, reason: "going away")])
    func aControlFrameAtTheHeadWaitsForWriteable(frame: Outbox.Frame) {
        let harness = OutboxHarness.open()
        harness.enqueue(frame)
        #expect(harness.batchTurnEnded() == .onWritable)
        #expect(harness.canWriteNowAsked == 0)
    }

    @Test func aMessageHalfWrittenWaitsForWriteable() {
        let harness = OutboxHarness.open()
        #expect(harness.enqueue(.binary(message(Outbox.fragmentSize + 1))) == .queued(.inBatch))
        #expect(harness.batchTurnEnded() == .now)
        _ = harness.write()
        #expect(harness.enqueue(.text(message(1))) == .queued(.inBatch))
        #expect(harness.batchTurnEnded() == .onWritable)
    }

    @Test func anEmptyOrDroppedOutboxHasNothingToFlush() {
        let harness = OutboxHarness.open()
        #expect(harness.batchTurnEnded() == .nothing)
        harness.enqueue(.text(message(10)))
        harness.outbox.drop()
        #expect(harness.batchTurnEnded() == .nothing)
    }

    @Test func withoutABatchALoneSmallFrameIsWrittenAtOnce() {
        let harness = OutboxHarness.open(batched: false, framesServerSide: false)
        #expect(harness.enqueue(.text(message(Outbox.fragmentSize))) == .queued(.now))
        #expect(harness.canWriteNowAsked == 1)
        // A second frame behind the first waits for WRITEABLE.
        #expect(harness.enqueue(.text(message(10))) == .queued(.onWritable))
    }

    @Test func withoutABatchLargeFramesOrAChokedSocketWaitForWriteable() {
        let harness = OutboxHarness.open(batched: false, framesServerSide: false)
        #expect(harness.enqueue(.text(message(Outbox.fragmentSize + 1))) == .queued(.onWritable))
        _ = harness.write()
        _ = harness.write()
        #expect(harness.enqueue(.binary(message(1))) == .queued(.onWritable))
        _ = harness.write()
        #expect(harness.enqueue(.ping, canWriteNow: false) == .queued(.onWritable))
        _ = harness.write()
        #expect(harness.enqueue(.ping, canWriteNow: true) == .queued(.now))
    }
}
