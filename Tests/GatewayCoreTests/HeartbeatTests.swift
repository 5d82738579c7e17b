import Testing
@testable import GatewayCore

@Suite struct HeartbeatTests {
    @Test func heartbeatsAreSentEveryIntervalWithAPing() {
        let harness = CoreHarness()
        let id = harness.connect()
        _ = harness.core.takeEffects()
        harness.clock.advance(by: 29.9)
        harness.core.tick()
        #expect(harness.core.takeEffects().isEmpty)
        harness.clock.advance(by: 0.1)
        harness.core.tick()
        let effects = harness.core.takeEffects()
        #expect(effects.contains(.ping(client: harness.handle(id))))
        let beats = effects.compactMap { effect -> JSONValue? in
            guard case .send(_, let text) = effect else { return nil }
            return try? JSONValue.parse(.init(text.utf8))
        }
        #expect(beats.count == 1)
        #expect(beats.first?["type"] == "heartbeat")
    }

    @Test func aClientAnsweringHeartbeatMessagesIsNotPingedUntilItStops() {
        let harness = CoreHarness()
        let answering = harness.connectEditor()
        let pingOnly = harness.connectEditor()
        _ = harness.core.takeEffects()
        func sweep() -> [CoreEffect] {
            harness.clock.advance(by: 30)
            harness.core.tick()
            return harness.core.takeEffects()
        }
        #expect(sweep().contains(.ping(client: harness.handle(answering))))
        harness.send(answering, #"{"type":"heartbeat_response","timestamp":1}"#)
        harness.core.noteActivity(harness.handle(pingOnly))  // its pong
        let second = sweep()
        #expect(!second.contains(.ping(client: harness.handle(answering))))
        #expect(second.contains(.ping(client: harness.handle(pingOnly))))
        #expect(second.contains { if case .send(harness.handle(answering), let text) = $0 { text.contains("heartbeat") } else { false } })
        // It did not answer that one: the next sweep pings it again.
        harness.core.noteActivity(harness.handle(pingOnly))
        #expect(sweep().contains(.ping(client: harness.handle(answering))))
    }

    @Test func silentClientsAreRemovedAfterTheTimeoutAndActiveOnesStay() {
        var settings = GatewaySettings()
        settings.resumeWindow = 0
        settings.commandTimeout = 1000  // so the command fails by the disconnect, not by timing out
        let harness = CoreHarness(settings: settings)
        let silent = harness.connectEditor()
        let active = harness.connectEditor()
        harness.submit("get_scene_tree")  // goes to `silent`, the first editor
        for _ in 0..<5 {
            harness.clock.advance(by: 15)
            harness.send(active, #"{"type":"heartbeat_response","timestamp":1}"#)
            harness.core.tick()
        }
        #expect(harness.core.registry[silent] == nil)
        #expect(harness.core.registry[active] != nil)
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(silent), code: CloseCode.stale, reason: "heartbeat timeout")))
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: silent))])
        #expect(harness.core.statistics.heartbeatRemovals == 1)
    }

    @Test func aPongCountsAsActivity() {
        let harness = CoreHarness()
        let id = harness.connect()
        harness.clock.advance(by: 59)
        harness.core.noteActivity(harness.handle(id))
        harness.clock.advance(by: 59)
        harness.core.tick()
        #expect(harness.core.registry[id] != nil)
        harness.clock.advance(by: 1)
        harness.core.tick()
        #expect(harness.core.registry[id] == nil)
    }

    @Test func nextDeadlineCoversHeartbeatAndExpiry() {
        var settings = GatewaySettings()
        settings.heartbeatInterval = 30
        settings.heartbeatTimeout = 5
        let harness = CoreHarness(settings: settings)
        let start = harness.clock.monotonicSeconds()
        #expect(harness.core.nextDeadline == start + 30)
        harness.connect()
        #expect(harness.core.nextDeadline == start + 5)
    }
}
