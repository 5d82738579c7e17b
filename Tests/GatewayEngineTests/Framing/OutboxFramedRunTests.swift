import Testing
@testable import GatewayEngine

/// Whole text messages at the head of a server connection's queue are framed here into one write
/// (`Connection.writeRaw`): headroom left free for lws, then each message's header and payload.
@Suite struct OutboxFramedRunTests {
    @Test(arguments: [
        (125, [0x81, 125]),
        (126, [0x81, 126, 0x00, 126]),
        (65_535, [0x81, 126, 0xFF, 0xFF]),
        (65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
    ] as [(Int, [UInt8])])
    func oneMessageIsLaidOutAfterTheHeadroom(length: Int, header: [UInt8]) {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(length)))
        #expect(harness.write() == .framedRun(messages: 1, byteCount: header.count + length))
        #expect(harness.buffer.prefix(OutboxHarness.headroom).allSatisfy { $0 == 0 })
        #expect(harness.framedBytes == header + message(length))
    }

    @Test func oneByteOverAFragmentGoesThroughLws() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(Outbox.fragmentSize + 1)))
        guard case .fragment(let bytes, false, true, false) = harness.write() else {
            Issue.record("a message over 64 KiB must be fragmented by lws")
            return
        }
        #expect(bytes.count == Outbox.fragmentSize)
    }

    @Test func severalMessagesShareOneWriteInOrder() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(3, seed: 0x61)))
        harness.enqueue(.text(message(130, seed: 0x62)))
        harness.enqueue(.text(message(1, seed: 0x63)))
        #expect(harness.write() == .framedRun(messages: 3, byteCount: 5 + 134 + 3))
        #expect(harness.framedBytes == [0x81, 3] + message(3, seed: 0x61) + [0x81, 126, 0, 130] + message(130, seed: 0x62) + [0x81, 1, 0x63])
        #expect(!harness.outbox.hasPendingOutput)
    }

    @Test func theBufferIsReusedNotGrownAcrossRuns() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(500)))
        _ = harness.write()
        harness.enqueue(.text(message(3)))
        _ = harness.write()
        #expect(harness.buffer.count == OutboxHarness.headroom + 5)
        #expect(harness.buffer.capacity >= OutboxHarness.headroom + 502)
    }

    @Test func aRunStopsBeforeCrossing256KiB() {
        let harness = OutboxHarness.open()
        for seed in UInt8(0x61)...0x65 { harness.enqueue(.text(message(60_000, seed: seed))) }
        // 4 × (4-byte header + 60,000) = 240,016; a fifth would cross 262,144 (counting its header as 10).
        #expect(harness.write() == .framedRun(messages: 4, byteCount: 240_016))
        #expect(harness.outbox.queuedBytes == 60_000)
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 60_004))
        #expect(harness.framedBytes.suffix(60_000) == message(60_000, seed: 0x65)[...])
    }

    /// Three 64 KiB messages (10-byte headers) fill 196,638 bytes; a fourth fits when it keeps the run
    /// within 256 KiB counting a 10-byte header for it.
    @Test(arguments: [(65_496, 4, 262_138), (65_497, 3, 196_638)])
    func theRunLimitIsExact(fourth: Int, messages: Int, byteCount: Int) {
        let harness = OutboxHarness.open()
        for _ in 0..<3 { harness.enqueue(.text(message(Outbox.fragmentSize))) }
        harness.enqueue(.text(message(fourth)))
        #expect(harness.write() == .framedRun(messages: messages, byteCount: byteCount))
    }

    @Test(arguments: [Outbox.Frame.ping, .close(code: 1000, reason: "bye"), .binary([1, 2]), .text(message(Outbox.fragmentSize + 1))])
    func aRunStopsAtAnythingLwsMustWrite(stopper: Outbox.Frame) {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        harness.enqueue(.text(message(20)))
        harness.enqueue(stopper)
        harness.enqueue(.text(message(30)))
        #expect(harness.write() == .framedRun(messages: 2, byteCount: 34))
        let next = harness.write()
        if case .framedRun = next { Issue.record("\(stopper) was framed into a run: \(next)") }
        #expect(harness.outbox.hasPendingOutput)
    }

    @Test func aRunResumesAfterTheFrameThatStoppedIt() {
        let harness = OutboxHarness.open()
        harness.enqueue(.text(message(10)))
        harness.enqueue(.ping)
        harness.enqueue(.text(message(30)))
        harness.enqueue(.text(message(40)))
        #expect(harness.write() == .framedRun(messages: 1, byteCount: 12))
        #expect(harness.write() == .ping(Outbox.pingPayload))
        #expect(harness.write() == .framedRun(messages: 2, byteCount: 74))
    }
}
