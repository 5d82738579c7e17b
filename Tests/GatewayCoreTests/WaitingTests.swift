import Testing
@testable import GatewayCore

@Suite struct WaitingTests {
    private func request(_ harness: CoreHarness, _ name: String = "get_scene_tree", wait: Double? = nil, target: String? = nil) -> String? {
        var request = CommandRequest(name: name, params: [:], target: target)
        request.waitSeconds = wait
        return harness.core.submit(request)
    }

    @Test func inTheStartupGraceACallWaitsAndIsDeliveredInOrderWhenAnEditorComes() {
        let harness = CoreHarness(startupGrace: 30)  // 10 s command timeout
        _ = request(harness, "list_nodes")
        _ = request(harness, "get_scene_tree")
        #expect(harness.outcomes.all.isEmpty && harness.core.waitingCallCount == 2)
        harness.clock.advance(by: 3)
        let editor = harness.connectEditor()
        let sent = harness.sent(to: editor).compactMap { $0["command"]?.stringValue }
        #expect(sent == ["list_nodes", "get_scene_tree"])
        #expect(harness.core.waitingCallCount == 0 && harness.core.statistics.callsThatWaited == 2)
    }

    @Test func aWaitEndsAtItsDeadlineWithTheReason() {
        let harness = CoreHarness(startupGrace: 30)
        _ = request(harness)  // in the grace: waits up to the command timeout
        harness.clock.advance(by: 9.9)
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        harness.clock.advance(by: 0.2)
        harness.core.tick()
        guard case .failure(.waitedInVain(let seconds, let reason))? = harness.outcomes.last else {
            Issue.record("expected waitedInVain, got \(String(describing: harness.outcomes.last))")
            return
        }
        #expect(seconds == 10 && reason.contains("No Godot editor is connected"))
        #expect(harness.core.statistics.waitsExpired == 1)
    }

    @Test func afterTheGraceOnlyCallsThatAskWaitAndZeroMeansNever() {
        let harness = CoreHarness(startupGrace: 5)
        harness.clock.advance(by: 6)
        _ = request(harness)
        #expect(harness.outcomes.last == .failure(.noGodotClient))
        _ = request(harness, wait: 0)
        #expect(harness.outcomes.count == 2)
        _ = request(harness, wait: 20)
        harness.clock.advance(by: 15)  // past the command timeout, within its own wait
        harness.core.tick()
        #expect(harness.outcomes.count == 2)
        let editor = harness.connectEditor()
        #expect(harness.lastCommandId(sentTo: editor) != nil)
    }

    @Test func aNamedEditorThatIsNotThereYetIsWaitedFor() {
        let harness = CoreHarness(startupGrace: 30)
        _ = request(harness, target: "second")
        let first = harness.connect(userAgent: "Godot/4.3")
        harness.send(first, #"{"type":"identify","clientType":"godot","projectName":"first"}"#)
        #expect(harness.core.waitingCallCount == 1)
        let second = harness.connect(userAgent: "Godot/4.3")
        harness.send(second, #"{"type":"identify","clientType":"godot","projectName":"second"}"#)
        #expect(harness.lastCommandId(sentTo: second) != nil)
    }

    @Test func theQueueIsBoundedAndAWaitingCallCanBeCancelled() {
        var settings = GatewaySettings()
        settings.maxWaitingCalls = 1
        let harness = CoreHarness(settings: settings, startupGrace: 30)
        let id = request(harness)
        _ = request(harness)
        #expect(harness.outcomes.last == .failure(.tooManyWaiting(limit: 1)))
        guard let id else { Issue.record("not waiting"); return }
        harness.core.cancel(id)
        #expect(harness.core.waitingCallCount == 0 && harness.outcomes.count == 1)
        let editor = harness.connectEditor()
        #expect(harness.lastCommandId(sentTo: editor) == nil)
    }
}

extension OutcomeRecorder {
    var count: Int { all.count }
}
