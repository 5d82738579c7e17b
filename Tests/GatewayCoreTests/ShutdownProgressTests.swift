import Testing
@testable import GatewayCore

/// The shutdown's progress on its own: acknowledgements end the wait, or the grace does.
@Suite struct ShutdownProgressTests {
    @Test func theWaitEndsWhenEveryEditorAcknowledged() {
        var shutdown = ShutdownProgress()
        #expect(shutdown.phase == .running && shutdown.nextDeadline == .infinity && !shutdown.everyoneAcknowledged)
        shutdown.begin(awaiting: ["a", "b"], until: 10)
        #expect(shutdown.nextDeadline == 10 && !shutdown.everyoneAcknowledged)
        let first = shutdown.acknowledged("a")
        let again = shutdown.acknowledged("a")
        let stranger = shutdown.acknowledged("c")
        #expect(first && !again && !stranger && !shutdown.everyoneAcknowledged)
        _ = shutdown.acknowledged("b")
        #expect(shutdown.everyoneAcknowledged)
        shutdown.close()
        #expect(shutdown.phase == .closing && shutdown.nextDeadline == .infinity && !shutdown.everyoneAcknowledged)
    }

    @Test func theGraceEndsTheWaitWithWhoWasMissing() {
        var shutdown = ShutdownProgress()
        #expect(shutdown.expire(now: 100) == nil)
        shutdown.begin(awaiting: ["a", "b"], until: 10)
        #expect(shutdown.expire(now: 9.9) == nil)
        _ = shutdown.acknowledged("b")
        #expect(shutdown.expire(now: 10) == 1)
        // A second start while shutting down changes nothing.
        shutdown.begin(awaiting: ["c"], until: 50)
        #expect(shutdown.nextDeadline == 10)
    }
}
