import Testing
@testable import GatewayCore

@Suite struct CollaborationTests {
    @Test func eventsSetTheEditorsStateAndReachOnlySubscribers() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        let watcher = harness.connect(query: ["type": "mcp"])
        let other = harness.connect(query: ["type": "mcp"])
        harness.send(watcher, #"{"type":"subscribe","events":["node_selected"]}"#)
        _ = harness.core.takeEffects()
        harness.send(editor, #"{"type":"event","event":"node_selected","data":{"nodes":["Player"]}}"#)
        let effects = harness.core.takeEffects()
        #expect(effects.contains { if case .send(harness.handle(watcher), let text) = $0 { text.contains("node_selected") } else { false } })
        #expect(!effects.contains { if case .send(harness.handle(other), _) = $0 { true } else { false } })
        #expect(effects.contains(.editorEvent(clientId: editor, name: "node_selected")))
        #expect(harness.core.registry[editor]?.editorState["selection"] == ["Player"])
        harness.send(watcher, #"{"type":"event","event":"scene_changed","data":{}}"#)
        #expect(harness.sent(to: watcher).contains { $0["type"] == "error" })  // only editors send events
    }

    @Test func locksBlockOtherSessionsEditsExpireAndDieWithTheirHolder() {
        var settings = GatewaySettings()
        settings.lockTimeout = 20
        let harness = CoreHarness(settings: settings)
        let editor = harness.connect(userAgent: "Godot/4.3")
        harness.send(editor, #"{"type":"identify","clientType":"godot"}"#)  // the original eleven, with their hints
        harness.send(editor, #"{"type":"event","event":"scene_changed","data":{"scene":"res://a.tscn"}}"#)
        let relay = harness.connect(query: ["type": "mcp"])
        harness.send(relay, #"{"type":"identify","clientType":"mcp"}"#)
        #expect((try? harness.core.lock(scene: "res://a.tscn", session: relay, holder: "Cursor").get()) != nil)
        if case .success = harness.core.lock(scene: "res://a.tscn", session: "", holder: "Claude") { Issue.record("taken twice") }
        harness.submit("create_node")
        #expect(harness.outcomes.last == .failure(.sceneLocked(scene: "res://a.tscn", holder: "Cursor")))
        harness.submit("get_scene_tree")  // reads pass
        #expect(harness.core.pendingCommandCount == 1)
        harness.clock.advance(by: 21)
        harness.core.tick()
        #expect(harness.core.sceneLocks.isEmpty)
        #expect((try? harness.core.lock(scene: "res://a.tscn", session: relay, holder: "Cursor").get()) != nil)
        harness.core.disconnected(relay)
        #expect(harness.core.sceneLocks.isEmpty)
    }
}
