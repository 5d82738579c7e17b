@testable import GatewayEngine

/// Plays the socket layer around an `Outbox` the way `Connection` does (a class, so that tests can call
/// it inside `#expect`): each write succeeds, and what
/// was written is kept so tests can read the bytes of framed runs.
final class OutboxHarness {
    static let headroom = 16

    var outbox: Outbox
    /// The connection's last-write buffer, as `Connection.lastWrite`.
    var buffer: [UInt8] = []
    /// Times the outbox asked whether the socket can take a write (a call into lws on the real socket).
    var canWriteNowAsked = 0

    init(batched: Bool = true, framesServerSide: Bool = true, deflate: Bool = false) {
        outbox = Outbox(headroom: Self.headroom, isBatched: batched, framesServerSide: framesServerSide, negotiatedDeflate: deflate)
    }

    /// An outbox past the upgrade: its first WRITEABLE callback came with nothing queued, so direct
    /// writes are allowed from now on.
    static func open(batched: Bool = true, framesServerSide: Bool = true, deflate: Bool = false) -> OutboxHarness {
        let harness = OutboxHarness(batched: batched, framesServerSide: framesServerSide, deflate: deflate)
        _ = harness.write(inWritableCallback: true)
        return harness
    }

    @discardableResult
    func enqueue(_ frame: Outbox.Frame, limit: Int = .max, canWriteNow: Bool = true) -> Outbox.Admission {
        outbox.enqueue(frame, limit: limit, canWriteNow: countedAnswer(canWriteNow))
    }

    func batchTurnEnded(canWriteNow: Bool = true) -> Outbox.WriteTiming {
        outbox.batchTurnEnded(canWriteNow: countedAnswer(canWriteNow))
    }

    private func countedAnswer(_ answer: Bool) -> Bool {
        canWriteNowAsked += 1
        return answer
    }

    func nextStep(inWritableCallback: Bool = false) -> Outbox.Step {
        outbox.nextStep(inWritableCallback: inWritableCallback, buffer: &buffer)
    }

    func wrote(_ step: Outbox.Step) -> Bool {
        outbox.wrote(step)
    }

    /// Takes the next step and reports it written, as `Connection.writeNext` does after lws took it.
    func write(inWritableCallback: Bool = false) -> Outbox.Step {
        let step = outbox.nextStep(inWritableCallback: inWritableCallback, buffer: &buffer)
        _ = outbox.wrote(step)
        return step
    }

    /// The bytes of the last framed run, after the headroom.
    var framedBytes: [UInt8] { Array(buffer.dropFirst(Self.headroom)) }
}

/// `count` bytes of JSON-looking text, distinct per `seed` so a test can tell messages apart.
func message(_ count: Int, seed: UInt8 = 0x61) -> [UInt8] {
    [UInt8](repeating: seed, count: count)
}
