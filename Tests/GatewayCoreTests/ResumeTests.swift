import Testing
@testable import GatewayCore

@Suite struct ResumeTests {
    /// The resume token of the last handshake sent to `id`.
    private func token(_ harness: CoreHarness, _ id: String) -> String? {
        harness.sent(to: id).last { $0["type"] == "handshake" }?["resumeToken"]?.stringValue
    }

    private func identify(_ harness: CoreHarness, _ id: String, resumeToken: String) {
        harness.send(id, #"{"type":"identify","clientType":"godot","godotVersion":"4.3","resumable":true,"resumeToken":"\#(resumeToken)"}"#)
    }

    @Test func aReconnectWithTheTokenGetsTheOldIdAndItsUnansweredCommandsOnce() {
        let harness = CoreHarness()  // 120 s window, 10 s command timeout
        let editor = harness.connectEditor()
        guard let first = token(harness, editor) else { Issue.record("no token in the handshake"); return }
        harness.submit("get_scene_tree")
        guard let command = harness.lastCommandId(sentTo: editor) else { Issue.record("not routed"); return }
        harness.core.disconnected(editor)
        #expect(harness.outcomes.all.isEmpty)  // it waits for the editor
        harness.clock.advance(by: 5)
        let connection = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        identify(harness, connection, resumeToken: first)
        let effects = harness.core.takeEffects()
        // The old record takes the resuming connection's slot: the socket layer files it where it is.
        #expect(effects.contains(.rename(client: harness.handle(connection), id: editor)))
        #expect(harness.core.registry.handle(of: editor) == harness.handle(connection))
        #expect(harness.core.registry.handle(of: connection) == nil)
        let sent = effects.compactMap { effect -> JSONValue? in
            guard case .send(harness.handle(editor), let text) = effect else { return nil }
            return try? JSONValue.parse(.init(text.utf8))
        }
        let handshake = sent.first { $0["type"] == "handshake" }
        #expect(handshake?["clientId"]?.stringValue == editor)
        #expect(handshake?["resumed"] == true)
        let second = handshake?["resumeToken"]?.stringValue
        #expect(second != nil && second != first)  // rotated
        #expect(sent.filter { $0["id"]?.stringValue == command && $0["command"] != nil }.count == 1)
        #expect(harness.core.registry[editor]?.ready == true)
        #expect(harness.core.registry[connection] == nil)
        #expect(harness.core.statistics.clientsResumed == 1 && harness.core.statistics.commandsResent == 1)
        harness.send(editor, #"{"id":"\#(command)","success":true,"result":"ok","error":null}"#)
        #expect(harness.outcomes.all == [.success(result: "ok", clientId: editor)])
        // Dropping again: a command already sent twice is not sent a third time.
        harness.submit("list_nodes")
        harness.core.disconnected(editor)
        guard let second else { return }
        let third = harness.connect(userAgent: "Godot/4.3")
        identify(harness, third, resumeToken: second)
        guard let again = harness.lastCommandId(sentTo: editor) else { Issue.record("not resent"); return }
        harness.core.disconnected(editor)
        #expect(harness.outcomes.last == .failure(.clientDisconnected(clientId: editor)))
        _ = again
    }

    @Test func aTokenWorksOnceAndASecondUseIsClosedAsADuplicate() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        guard let first = token(harness, editor) else { Issue.record("no token"); return }
        harness.core.disconnected(editor)
        let resumed = harness.connect(userAgent: "Godot/4.3")
        identify(harness, resumed, resumeToken: first)
        #expect(harness.core.registry[editor] != nil)
        let thief = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        identify(harness, thief, resumeToken: first)
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(thief), code: CloseCode.duplicate, reason: "resume token already used")))
    }

    @Test func anUnknownOrExpiredTokenMakesAFreshClientThatIsTold() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        guard let old = token(harness, editor) else { Issue.record("no token"); return }
        harness.core.disconnected(editor)
        harness.clock.advance(by: 121)
        harness.core.tick()
        let late = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        identify(harness, late, resumeToken: old)
        let told = harness.sent(to: late)
        #expect(told.contains { $0["type"] == "resume_rejected" })
        #expect(harness.core.registry[late]?.ready == true)
        #expect(harness.core.registry[editor] == nil)
        identify(harness, late, resumeToken: "not-a-token")
        #expect(harness.sent(to: late).contains { $0["type"] == "resume_rejected" })
    }

    @Test func unansweredCommandsFailWhenTheWindowPassesWithoutTheEditor() {
        var settings = GatewaySettings()
        settings.resumeWindow = 5
        settings.commandTimeout = 30
        let harness = CoreHarness(settings: settings)
        let editor = harness.connectEditor()
        harness.submit("get_scene_tree")
        harness.core.disconnected(editor)
        harness.clock.advance(by: 4.9)
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        harness.clock.advance(by: 0.2)
        harness.core.tick()
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: editor))])
        #expect(harness.core.nextDeadline > harness.clock.monotonicSeconds())
    }

    @Test func callsForADroppedEditorWaitForItUpToTheResumeGrace() {
        let harness = CoreHarness()  // 10 s command timeout, 5 s grace, 120 s window
        let editor = harness.connectEditor()
        guard let old = token(harness, editor) else { Issue.record("no token"); return }
        harness.core.pin(editor)
        harness.core.disconnected(editor)
        harness.submit("get_scene_tree")  // pinned: waits
        harness.submit("list_nodes", target: editor)  // named: waits
        #expect(harness.outcomes.all.isEmpty)
        harness.clock.advance(by: 3)
        let back = harness.connect(userAgent: "Godot/4.3")
        identify(harness, back, resumeToken: old)
        #expect(harness.sent(to: editor).compactMap { $0["command"]?.stringValue } == ["get_scene_tree", "list_nodes"])
        // Dropped again: what was sent and what waits fail when the grace ends, not at the command timeout.
        harness.core.disconnected(editor)
        harness.submit("get_scene_tree")
        harness.clock.advance(by: 4.9)
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.nextDeadline <= harness.clock.monotonicSeconds() + 0.1)
        harness.clock.advance(by: 0.2)
        harness.core.tick()
        #expect(harness.outcomes.all.filter { $0 == .failure(.clientDisconnected(clientId: editor)) }.count == 2)
        #expect(harness.outcomes.all.contains(.failure(.editorNotBack(clientId: editor, seconds: 5))))
        // Its id stays reserved: a call naming it fails at once, and it can still come back with its token.
        harness.submit("list_nodes", target: editor)
        #expect(harness.outcomes.last == .failure(.editorNotBack(clientId: editor, seconds: 5)))
        #expect(harness.core.pendingCommandCount == 0 && harness.core.queuedCommandCount == 0)
    }

    @Test func afterTheGraceTheIdStaysReservedForAResume() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        guard let old = token(harness, editor) else { Issue.record("no token"); return }
        harness.submit("get_scene_tree")
        harness.core.disconnected(editor)
        harness.clock.advance(by: 60)
        harness.core.tick()
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: editor))])
        let back = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        identify(harness, back, resumeToken: old)
        #expect(harness.core.registry[editor]?.ready == true)
        // The failed command is not sent again: its caller has its answer already.
        #expect(harness.sent(to: editor).filter { $0["command"] != nil }.isEmpty)
    }

    /// The original addon never declares that it resumes: dropped mid-call, its calls fail at once, and
    /// so do those of an editor that closed on purpose (1000 or 1001), whatever it declared.
    @Test func onlyAnEditorThatDeclaresResumeAndDidNotLeaveOnPurposeIsKept() {
        let harness = CoreHarness()
        let original = harness.connectEditor(resumable: false)
        harness.submit("get_scene_tree", target: original)
        harness.core.disconnected(original)
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: original))])
        for code: UInt16 in [1000, 1001] {
            let leaving = harness.connectEditor()
            harness.submit("get_scene_tree", target: leaving)
            harness.core.disconnected(leaving, closeCode: code)
            #expect(harness.outcomes.last == .failure(.clientDisconnected(clientId: leaving)))
            #expect(harness.core.resumeWindows[leaving] == nil)
        }
        for code: UInt16? in [nil, 1006, 4000] {
            let dropped = harness.connectEditor()
            harness.core.disconnected(dropped, closeCode: code)
            #expect(harness.core.resumeWindows[dropped] != nil)
        }
        #expect(harness.outcomes.all.count == 3)
    }

    @Test func aTokenOfAnOpenConnectionMovesTheIdAndClosesTheOldOneAsReplaced() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        guard let old = token(harness, editor) else { Issue.record("no token"); return }
        harness.submit("get_scene_tree")
        let replaced = harness.handle(editor)
        let newer = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        identify(harness, newer, resumeToken: old)
        let effects = harness.core.takeEffects()
        #expect(effects.contains(.close(client: replaced, code: CloseCode.replaced, reason: "resumed on another connection")))
        #expect(effects.contains(.rename(client: harness.handle(newer), id: editor)))
        #expect(harness.handle(editor) == harness.handle(newer) && harness.handle(editor) != replaced)
        #expect(effects.contains { if case .send(harness.handle(editor), let text) = $0 { text.contains("get_scene_tree") } else { false } })
        // The replaced connection's late frames and its close change nothing.
        harness.core.receive(replaced, text: Array(#"{"type":"heartbeat_response","timestamp":1}"#.utf8))
        harness.core.disconnected(replaced)
        #expect(harness.core.registry[editor]?.ready == true && harness.core.registry[editor]?.handle == harness.handle(newer))
    }

    @Test func resumingOffOrANonEditorGetsNoWindow() {
        var settings = GatewaySettings()
        settings.resumeWindow = 0
        let harness = CoreHarness(settings: settings)
        let editor = harness.connectEditor()
        harness.submit("get_scene_tree")
        harness.core.disconnected(editor)
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: editor))])
        let other = CoreHarness()
        let unknown = other.connect()
        other.core.disconnected(unknown)
        #expect(other.core.resumeWindows.isEmpty)
    }

    /// With people's own tokens (`--tokens`), a resume token works only for a connection of the person
    /// whose editor it was: another person's connection presenting it goes on as a new client.
    @Test func aResumeTokenIsBoundToThePersonWhoseEditorItWas() {
        var security = SecuritySettings()
        security.namedTokens = [NamedToken(name: "alice", token: "alice-token-0123456789"), NamedToken(name: "bob", token: "bob-token-0123456789")]
        let harness = CoreHarness(security: security)
        func connect(as token: String) -> String {
            harness.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3", bearerToken: token))
        }
        let editor = connect(as: "alice-token-0123456789")
        guard let first = token(harness, editor) else { Issue.record("no token in the handshake"); return }
        harness.send(editor, #"{"type":"identify","clientType":"godot","godotVersion":"4.3","resumable":true}"#)
        harness.core.disconnected(editor)
        _ = harness.core.takeEffects()

        let bobs = connect(as: "bob-token-0123456789")
        _ = harness.core.takeEffects()
        identify(harness, bobs, resumeToken: first)
        let refused = harness.sent(to: bobs)
        #expect(refused.contains { $0["type"] == "resume_rejected" })
        #expect(harness.core.registry[bobs]?.caller == "bob")
        #expect(harness.core.statistics.clientsResumed == 0)

        let alices = connect(as: "alice-token-0123456789")
        _ = harness.core.takeEffects()
        identify(harness, alices, resumeToken: first)
        #expect(harness.core.registry[editor]?.caller == "alice")
        #expect(harness.core.registry[alices] == nil)
        #expect(harness.core.statistics.clientsResumed == 1)
    }
}
