import Testing
@testable import GatewayCore

@Suite struct ShutdownTests {
    @Test func onlyEditorsAreToldAndClosingWaitsForTheirAcks() {
        let harness = CoreHarness()
        let editorA = harness.connectEditor()
        let editorB = harness.connectEditor()
        let other = harness.connect()
        _ = harness.core.takeEffects()
        harness.core.beginShutdown()
        let effects = harness.core.takeEffects()
        let told = effects.compactMap { effect -> String? in
            guard case .send(let handle, let text) = effect, text.contains(#""command":"shutdown""#) else { return nil }
            return harness.core.registry[handle]?.id
        }
        #expect(Set(told) == [editorA, editorB])
        #expect(!told.contains(other))
        #expect(!effects.contains { if case .close = $0 { true } else { false } })

        harness.send(editorA, #"{"command":"shutdown_ack","timestamp":1.0,"client_id":"godot_mcp_client"}"#)
        #expect(harness.core.phase != .closing)
        harness.core.disconnected(editorB)  // closing counts as acknowledging
        #expect(harness.core.phase == .closing)
        let closes = harness.core.takeEffects().filter { if case .close(_, CloseCode.goingAway, _) = $0 { true } else { false } }
        #expect(closes.count == 2)  // editorA and the other client; editorB is gone
    }

    @Test func theGraceIsBounded() {
        let harness = CoreHarness()
        harness.connectEditor()
        harness.core.beginShutdown()
        harness.clock.advance(by: 1.9)
        harness.core.tick()
        #expect(harness.core.phase != .closing)
        harness.clock.advance(by: 0.1)
        harness.core.tick()
        #expect(harness.core.phase == .closing)
    }

    @Test func noEditorsMeansClosingAtOnceAndPendingCommandsFail() {
        let harness = CoreHarness()
        harness.connect()
        harness.core.beginShutdown()
        #expect(harness.core.phase == .closing)
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.shuttingDown))
        #expect(harness.core.connect(.init(remoteAddress: "x")) == nil)
    }
}
