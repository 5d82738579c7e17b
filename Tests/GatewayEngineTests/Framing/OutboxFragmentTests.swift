import Testing
@testable import GatewayEngine

/// Messages lws frames (binary ones, and every message of a client connection, whose frames lws must
/// mask) leave in 64 KiB fragments, one per write.
@Suite struct OutboxFragmentTests {
    @Test func exactlyOneFragmentSizeIsOneFrame() {
        let harness = OutboxHarness.open(framesServerSide: false)
        let payload = message(Outbox.fragmentSize)
        harness.enqueue(.text(payload))
        #expect(harness.write() == .fragment(payload[...], isBinary: false, isStart: true, isEnd: true))
        #expect(!harness.outbox.hasPendingOutput)
    }

    @Test func oneByteMoreIsTwoFragments() {
        let harness = OutboxHarness.open(framesServerSide: false)
        var payload = message(Outbox.fragmentSize)
        payload.append(0x7A)
        harness.enqueue(.text(payload))
        #expect(harness.write() == .fragment(payload[0..<Outbox.fragmentSize], isBinary: false, isStart: true, isEnd: false))
        #expect(harness.outbox.hasPendingOutput)
        #expect(harness.write() == .fragment([0x7A][...], isBinary: false, isStart: false, isEnd: true))
        #expect(!harness.outbox.hasPendingOutput)
    }

    @Test func binaryMessagesAreFragmentedEvenWhereTextIsFramedHere() {
        let harness = OutboxHarness.open()
        let payload = message(2 * Outbox.fragmentSize + 1)
        harness.enqueue(.binary(payload))
        let steps = (0..<3).map { _ in harness.write() }
        #expect(steps == [
            .fragment(payload[0..<65_536], isBinary: true, isStart: true, isEnd: false),
            .fragment(payload[65_536..<131_072], isBinary: true, isStart: false, isEnd: false),
            .fragment(payload[131_072...], isBinary: true, isStart: false, isEnd: true),
        ])
    }

    @Test func anEmptyMessageIsOneFrameThatStartsAndEnds() {
        let harness = OutboxHarness.open(framesServerSide: false)
        harness.enqueue(.text([]))
        #expect(harness.write() == .fragment([][...], isBinary: false, isStart: true, isEnd: true))
    }

    @Test func aClientConnectionNeverFramesRuns() {
        let harness = OutboxHarness.open(batched: false, framesServerSide: false)
        harness.enqueue(.text(message(10)))
        harness.enqueue(.text(message(10)))
        #expect(harness.write() == .fragment(message(10)[...], isBinary: false, isStart: true, isEnd: true))
        #expect(harness.write() == .fragment(message(10)[...], isBinary: false, isStart: true, isEnd: true))
    }

    @Test func aPingCarriesAPayloadSoLwsReportsItsPong() {
        let harness = OutboxHarness.open()
        harness.enqueue(.ping)
        #expect(harness.write() == .ping(Array("gateway".utf8)))
        #expect(!harness.outbox.hasPendingOutput)
    }

    @Test func aFailedWriteTakesNothingOffTheQueue() {
        let harness = OutboxHarness.open(framesServerSide: false)
        harness.enqueue(.text(message(10)))
        let step = harness.nextStep(inWritableCallback: false)
        #expect(step == .fragment(message(10)[...], isBinary: false, isStart: true, isEnd: true))
        // The socket layer does not call `wrote` when lws refused the write; the next try sends the same.
        #expect(harness.write() == step)
    }
}
