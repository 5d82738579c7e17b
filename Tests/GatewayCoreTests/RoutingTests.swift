import Testing
@testable import GatewayCore

@Suite struct RoutingTests {
    @Test func noEditorFailsAtOnce() {
        let harness = CoreHarness()
        harness.connect()  // an unknown client is not an editor
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.noGodotClient))
    }

    @Test func routesToTheFirstReadyEditorWithParamsIntact() {
        let harness = CoreHarness()
        let first = harness.connectEditor()
        let second = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("create_node", params: ["node_type": "Sprite2D", "properties": ["scale": [2, 2]]])
        let effects = harness.core.takeEffects()
        #expect(effects.count == 1)
        guard case .send(let target, let text)? = effects.first, let message = try? JSONValue.parse(.init(text.utf8)) else {
            Issue.record("nothing sent"); return
        }
        #expect(target == harness.handle(first))
        #expect(target != harness.handle(second))
        #expect(message["command"] == "create_node")
        #expect(message["params"] == ["node_type": "Sprite2D", "properties": ["scale": [2, 2]]])
    }

    @Test func skipsUnreadyClosedAndNonGodotClients() {
        let harness = CoreHarness()
        harness.connect(userAgent: "Godot/4.3")  // godot by User-Agent but never identified: not ready
        let mcp = harness.connect()
        harness.send(mcp, #"{"type":"identify","clientType":"mcp"}"#)  // ready, but not an editor
        let closing = harness.connectEditor()
        harness.core.messageTooLarge(harness.handle(closing), limit: 10)  // the core closes it: no longer routable
        let good = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        guard let id = harness.lastCommandId(sentTo: good) else { Issue.record("not routed to the good editor"); return }
        harness.send(good, #"{"id":"\#(id)","success":true,"result":"ok","error":null}"#)
        #expect(harness.outcomes.last == .success(result: "ok", clientId: good))
    }

    @Test func afterTheFirstEditorLeavesTheSecondGetsCommands() {
        let harness = CoreHarness()
        let first = harness.connectEditor()
        let second = harness.connectEditor()
        harness.core.disconnected(first)
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        #expect(harness.lastCommandId(sentTo: second) != nil)
    }

    @Test func namedTargetMustBeAReadyEditor() {
        let harness = CoreHarness()
        harness.connectEditor()
        let other = harness.connect()
        harness.submit("get_scene_tree", target: other)
        #expect(harness.outcomes.last == .failure(.targetUnavailable(clientId: other)))
    }

    @Test func editorErrorsArePassedThrough() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_node_properties", params: ["node_path": "/root/Nope"])
        let id = harness.lastCommandId(sentTo: editor) ?? ""
        harness.send(editor, #"{"id":"\#(id)","success":false,"result":null,"error":"Node not found"}"#)
        #expect(harness.outcomes.last == .failure(.editorError(message: "Node not found", clientId: editor)))
    }

    @Test func responsesWithUnknownIdsOrFromOtherClientsAreDropped() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        let intruder = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        let id = harness.lastCommandId(sentTo: editor) ?? ""
        harness.send(editor, #"{"id":"no-such-command","success":true,"result":1}"#)
        harness.send(intruder, #"{"id":"\#(id)","success":true,"result":"forged"}"#)
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.statistics.unmatchedResponses == 2)
        harness.send(editor, #"{"id":"\#(id)","success":true,"result":"real"}"#)
        #expect(harness.outcomes.all == [.success(result: "real", clientId: editor)])
    }

    @Test func withResumingOffADisconnectFailsPendingCommandsAtOnce() {
        var settings = GatewaySettings()
        settings.resumeWindow = 0
        let harness = CoreHarness(settings: settings)
        let editor = harness.connectEditor()
        harness.submit("get_scene_tree")
        harness.submit("list_nodes")
        harness.core.disconnected(editor)
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: editor)), .failure(.clientDisconnected(clientId: editor))])
        #expect(harness.core.pendingCommandCount == 0)
    }

    @Test func commandsTimeOutOnTheInjectedClock() {
        var settings = GatewaySettings()
        settings.commandTimeout = 2.5
        let harness = CoreHarness(settings: settings)
        let editor = harness.connectEditor()
        harness.submit("get_scene_tree")
        harness.clock.advance(by: 2.4)
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.nextDeadline <= harness.clock.monotonicSeconds() + 0.1 + 1e-9)
        harness.clock.advance(by: 0.1)
        harness.core.tick()
        #expect(harness.outcomes.all == [.failure(.timedOut(seconds: 2.5, clientId: editor))])
        #expect(harness.core.statistics.commandsTimedOut == 1)
        #expect(harness.core.registry[editor]?.inFlightCommands.isEmpty == true)
    }

    @Test func everyCommandEndsExactlyOnce() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        let id = harness.lastCommandId(sentTo: editor) ?? ""
        harness.send(editor, #"{"id":"\#(id)","success":true,"result":1}"#)
        harness.send(editor, #"{"id":"\#(id)","success":true,"result":2}"#)  // a duplicate answer
        harness.core.disconnected(editor)
        harness.clock.advance(by: 100)
        harness.core.tick()
        #expect(harness.outcomes.all == [.success(result: 1, clientId: editor)])
    }
}
