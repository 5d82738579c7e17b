import Testing
@testable import GatewayEngine

/// On a connection that negotiated permessage-deflate, messages under 1 KiB skip lws' deflater
/// (`clws_pm_deflate_small_uncompressed`) and may be framed here; larger ones go through lws, and
/// while lws may still be draining a deflated message nothing is framed beside it.
@Suite struct OutboxDeflateTests {
    @Test func onlyMessagesUnder1KiBAreFramedHere() {
        let harness = OutboxHarness.open(deflate: true)
        harness.enqueue(.text(message(Outbox.deflateBypassLimit - 1)))
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 4 + 1023))
        harness.enqueue(.text(message(Outbox.deflateBypassLimit)))
        #expect(harness.write(inWritableCallback: true) == .fragment(message(1024)[...], isBinary: false, isStart: true, isEnd: true))
    }

    @Test func aRunOfSmallMessagesStopsBeforeALargeOne() {
        let harness = OutboxHarness.open(deflate: true)
        harness.enqueue(.text(message(100)))
        harness.enqueue(.text(message(1023)))
        harness.enqueue(.text(message(1024)))
        #expect(harness.write() == .framedRun(messages: 2, byteCount: 102 + 1027))
        #expect(harness.outbox.queuedBytes == 1024)
    }

    @Test func afterADeflatedMessageNothingIsFramedUntilWriteable() {
        let harness = OutboxHarness.open(deflate: true)
        harness.enqueue(.text(message(2000)))
        harness.enqueue(.text(message(10)))
        #expect(harness.write(inWritableCallback: true) == .fragment(message(2000)[...], isBinary: false, isStart: true, isEnd: true))
        // The end of the turn must not write raw bytes beside the deflated message lws may still send.
        #expect(harness.batchTurnEnded(canWriteNow: true) == .onWritable)
        let outsideWriteable = harness.nextStep(inWritableCallback: false)
        #expect(outsideWriteable == .fragment(message(10)[...], isBinary: false, isStart: true, isEnd: true))
        #expect(harness.write(inWritableCallback: true) == .framedRun(messages: 1, byteCount: 12))
    }

    @Test func aSmallMessageIsBatchedAgainOnceWriteableCame() {
        let harness = OutboxHarness.open(deflate: true)
        #expect(harness.enqueue(.text(message(2000))) == .queued(.inBatch))
        #expect(harness.batchTurnEnded() == .now)
        _ = harness.write()
        #expect(harness.write(inWritableCallback: true) == .nothing)
        #expect(harness.enqueue(.text(message(10))) == .queued(.inBatch))
        #expect(harness.batchTurnEnded() == .now)
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 12))
    }

    @Test func withoutDeflateAFragmentDoesNotHoldBackTheBatch() {
        let harness = OutboxHarness.open()
        harness.enqueue(.binary(message(10)))
        harness.enqueue(.text(message(10)))
        _ = harness.write(inWritableCallback: true)
        #expect(harness.batchTurnEnded() == .now)
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 12))
    }
}
