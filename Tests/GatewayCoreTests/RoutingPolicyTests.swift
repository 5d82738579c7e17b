import Testing
@testable import GatewayCore

@Suite struct RoutingPolicyTests {
    private func harness(_ policy: RoutingPolicy) -> (CoreHarness, [String]) {
        var settings = GatewaySettings()
        settings.routing = policy
        settings.resumeWindow = 0  // editors that leave are gone (resuming has its own tests)
        let harness = CoreHarness(settings: settings)
        let editors = (0..<3).map { _ in harness.connectEditor() }
        _ = harness.core.takeEffects()
        return (harness, editors)
    }

    private func targets(_ harness: CoreHarness, calls: Int) -> [String] {
        (0..<calls).compactMap { _ in
            harness.submit("get_scene_tree")
            return harness.core.takeEffects().compactMap { effect -> String? in
                if case .send(let handle, _) = effect { harness.core.registry[handle]?.id } else { nil }
            }.first
        }
    }

    @Test func firstSendsEverythingToTheFirstEditor() {
        let (harness, editors) = harness(.first)
        #expect(targets(harness, calls: 6) == Array(repeating: editors[0], count: 6))
    }

    @Test func roundRobinTakesTurnsAndSkipsAnEditorThatLeft() {
        let (harness, editors) = harness(.roundRobin)
        #expect(targets(harness, calls: 6) == editors + editors)
        harness.core.disconnected(editors[1])
        _ = harness.core.takeEffects()
        #expect(targets(harness, calls: 4) == [editors[0], editors[2], editors[0], editors[2]])
    }

    @Test func leastBusyPrefersTheEditorWithFewestCommandsInFlight() {
        let (harness, editors) = harness(.leastBusy)
        // Nobody answers: each call goes to the editor with the fewest pending, the earliest on ties.
        #expect(targets(harness, calls: 6) == editors + editors)
    }

    @Test func aPinBeatsThePolicyAndAGonePinFallsBackOnlyToASingleEditor() {
        let (harness, editors) = harness(.roundRobin)
        harness.core.pin(editors[2])
        #expect(targets(harness, calls: 3) == Array(repeating: editors[2], count: 3))
        harness.core.disconnected(editors[2])
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.targetUnavailable(clientId: editors[2])))
        harness.core.disconnected(editors[1])
        _ = harness.core.takeEffects()
        #expect(targets(harness, calls: 1) == [editors[0]])
    }
}

@Suite struct SessionPinTests {
    @Test func pinsArePerSessionAndEndWithTheRelayingClient() {
        let harness = CoreHarness()
        let first = harness.connectEditor()
        let second = harness.connectEditor()
        let relay = harness.connect(query: ["type": "mcp"])
        harness.send(relay, #"{"type":"identify","clientType":"mcp","relay":{"pid":1}}"#)
        _ = harness.core.takeEffects()
        harness.core.pin(second, session: relay)
        harness.core.submit(CommandRequest(name: "a", params: [:], session: relay))
        harness.core.submit(CommandRequest(name: "b", params: [:]))
        let effects = harness.core.takeEffects()
        #expect(effects.contains { if case .send(harness.handle(second), let text) = $0 { text.contains(#""command":"a""#) } else { false } })
        #expect(effects.contains { if case .send(harness.handle(first), let text) = $0 { text.contains(#""command":"b""#) } else { false } })
        harness.core.disconnected(relay)
        #expect(harness.core.takeEffects().contains(.sessionEnded(clientId: relay)))
        #expect(harness.core.pinnedEditors[relay] == nil)
    }

    @Test func relayedMessagesComeOnlyFromMCPClientsAndRelaysLearnWhichEditorsMayResume() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        harness.send(editor, #"{"type":"mcp","message":{"jsonrpc":"2.0","id":1,"method":"ping"}}"#)
        #expect(harness.sent(to: editor).contains { $0["type"] == "error" })
        let relay = harness.connect(query: ["type": "mcp"])
        harness.send(relay, #"{"type":"identify","clientType":"mcp","relay":{"pid":1}}"#)
        let told = harness.sent(to: relay).first { $0["type"] == "resume_state" }
        guard case .array(let editors)? = told?["editors"] else { Issue.record("no resume_state"); return }
        #expect(editors.first?["clientId"]?.stringValue == editor)
        harness.send(relay, #"{"type":"mcp","message":{"jsonrpc":"2.0","id":1,"method":"ping"}}"#)
        #expect(harness.core.takeEffects().contains { if case .relayedRequest(relay, _, _) = $0 { true } else { false } })
    }

    @Test func aNewOwnerAdoptsTheEditorsThePreviousOneKnew() {
        let previous = CoreHarness()
        let editor = previous.connectEditor()
        let snapshot = previous.core.resumeSnapshot
        guard case .array(let entries) = snapshot else { Issue.record("not an array"); return }
        let token = entries.first?["resumeToken"]?.stringValue ?? ""
        let next = CoreHarness(idPrefix: "next-")
        #expect(next.core.adoptResumeState(snapshot) == 1)
        let back = next.connect(userAgent: "Godot/4.3")
        _ = next.core.takeEffects()
        next.send(back, #"{"type":"identify","clientType":"godot","resumeToken":"\#(token)"}"#)
        #expect(next.core.registry[editor]?.ready == true)
        #expect(next.core.registry[back] == nil)
    }
}
