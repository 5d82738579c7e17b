import Foundation
import Testing
@testable import GatewayCore

/// A call naming an editor that is reconnecting — by id, project name or unique prefix — waits for it,
/// on its node and from other nodes; calls forwarded to a node an editor left follow it the moment its
/// new node lists it.
@Suite struct ReconnectingTests {
    typealias Node = ClusterTests

    private func commands(_ harness: CoreHarness, sentTo id: String) -> [String] {
        harness.sent(to: id).filter { $0["command"] != nil }.compactMap { $0["id"]?.stringValue }
    }

    /// A new connection presenting `token` in identify (the sends it causes stay to be read).
    private func resume(_ harness: CoreHarness, project: String, token: String) {
        let connection = harness.connect(userAgent: "Godot/4.3")
        _ = harness.core.takeEffects()
        harness.send(connection, #"{"type":"identify","clientType":"godot","projectName":"\#(project)","resumable":true,"resumeToken":"\#(token)"}"#)
    }

    private func forwardedIds(_ calls: [(node: String, call: String)]) -> [String] {
        calls.compactMap { try? JSONValue.parse(Data($0.call.utf8))["id"]?.stringValue }
    }

    @Test func aCallNamingADroppedEditorByProjectOrPrefixWaitsAndGoesWhenItResumes() {
        let harness = CoreHarness()
        let (editor, token) = Node.resumableEditor(on: harness, project: "Dungeon")
        Node.resumableEditor(on: harness, project: "Meadow")
        harness.core.disconnected(editor)
        harness.submit("get_scene_tree", target: "Dungeon")
        harness.submit("get_scene_tree", target: "dung")
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.queuedCommandCount == 2)
        resume(harness, project: "Dungeon", token: token)
        let sent = commands(harness, sentTo: editor)
        #expect(sent.count == 2)
        for id in sent { harness.send(editor, #"{"id":"\#(id)","success":true,"result":1,"error":null}"#) }
        #expect(harness.outcomes.all == Array(repeating: .success(result: 1, clientId: editor), count: 2))
    }

    /// A reconnecting editor counts as if connected: an exact project name still wins, a prefix both
    /// share is ambiguous, and an unknown name lists the connected editors only.
    @Test func connectedAndReconnectingEditorsAreNamedByTheSameRules() throws {
        let harness = CoreHarness()
        let game = Node.resumableEditor(on: harness, project: "game").id
        let tools = Node.resumableEditor(on: harness, project: "game-tools").id
        harness.core.disconnected(tools)
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree", target: "game")
        #expect(commands(harness, sentTo: game).count == 1)
        harness.submit("get_scene_tree", target: "game-t")
        #expect(harness.outcomes.all.isEmpty && harness.core.queuedCommandCount == 1)
        harness.submit("get_scene_tree", target: "gam")
        guard case .failure(.ambiguousTarget(_, let matches))? = harness.outcomes.last else { Issue.record("not ambiguous"); return }
        #expect(matches.count == 2)
        harness.submit("get_scene_tree", target: "castle")
        guard case .failure(.unknownTarget(_, let editors))? = harness.outcomes.last else { Issue.record("not unknown"); return }
        #expect(editors.count == 1 && editors[0].hasPrefix(game))
    }

    /// Node c's editor drops: c lists it as reconnecting; node a sends a call naming it by project to c,
    /// which holds it until the editor resumes there.
    @Test func aCallByNameFromAnotherNodeGoesToTheNodeItIsReconnectingTo() throws {
        let a = Node.node("a"), c = Node.node("c")
        let (editor, token) = Node.resumableEditor(on: c, project: "Dungeon")
        Node.share(c, with: a)
        c.core.disconnected(editor)
        Node.share(c, with: a)
        #expect(a.core.routableEditors.isEmpty)
        a.submit("get_scene_tree", target: "dungeon")
        let calls = Node.forwarded(a)
        try #require(calls.map(\.node) == ["c"])
        c.core.runForwarded(Array(calls[0].call.utf8), replyTo: "a.answers")
        #expect(c.outcomes.nodeAnswers.isEmpty && c.core.queuedCommandCount == 1)
        resume(c, project: "Dungeon", token: token)
        let id = try #require(c.lastCommandId(sentTo: editor))
        #expect(forwardedIds(calls) == [id])
        c.send(editor, #"{"id":"\#(id)","success":true,"result":"tree","error":null}"#)
        a.core.forwardedAnswer(Array(try #require(c.outcomes.nodeAnswers.last).utf8))
        #expect(a.outcomes.all == [.success(result: "tree", clientId: editor)])
        // Resumed, it is listed ready again and no longer reconnecting.
        Node.share(c, with: a)
        #expect(a.core.routableEditors.map(\.id) == [editor])
        #expect(!a.core.anyReconnecting)
    }

    /// Node c dies with calls of node a in flight to its editor; the editor resumes on node b. Node a sends
    /// the calls to b as soon as b's presence lists the editor — not when c's presence lapses — once.
    @Test func callsForwardedToADeadNodeFollowTheEditorTheMomentItsNewNodeListsIt() throws {
        let a = Node.node("a"), b = Node.node("b"), c = Node.node("c")
        let (editor, token) = Node.resumableEditor(on: c, project: "Dungeon")
        Node.share(c, with: a)
        Node.share(c, with: b)
        a.submit("get_scene_tree", target: "Dungeon")
        a.submit("get_scene_tree", target: editor)
        let first = forwardedIds(Node.forwarded(a))
        try #require(first.count == 2)
        #expect(Node.resumableEditor(on: b, project: "Dungeon", resuming: token).id == editor)
        Node.share(b, with: a)
        let again = Node.forwarded(a)
        #expect(again.map(\.node) == ["b", "b"])
        #expect(Set(forwardedIds(again)) == Set(first))
        #expect(a.core.statistics.commandsResent == 2)
        // A refresh of b's presence, or c's lapse later, sends nothing a third time.
        Node.share(b, with: a)
        a.clock.advance(by: 0.5)
        a.core.nodeLeft("c")
        #expect(Node.forwarded(a).isEmpty)
        #expect(a.outcomes.all.isEmpty)
    }

    /// The editor resumes on the very node that forwarded the calls: they are sent to it here at once.
    @Test func callsForwardedElsewhereComeHomeWhenTheEditorResumesHere() throws {
        let a = Node.node("a"), c = Node.node("c")
        let (editor, token) = Node.resumableEditor(on: c, project: "Dungeon")
        Node.share(c, with: a)
        a.submit("get_scene_tree", target: "Dungeon")
        let first = forwardedIds(Node.forwarded(a))
        try #require(first.count == 1)
        resume(a, project: "Dungeon", token: token)
        #expect(commands(a, sentTo: editor) == first)
        #expect(a.core.pendingCommandCount == 1)
    }

    /// Across nodes as on one: an editor that does not declare it resumes publishes no resume hash, so
    /// when its node leaves nothing is kept for it and calls naming it fail at once.
    @Test func anotherNodesEditorThatDoesNotResumeIsNotWaitedFor() {
        let a = Node.node("a"), c = Node.node("c")
        Node.editor(on: c, project: "Original")  // identifies without "resumable"
        let (resumable, _) = Node.resumableEditor(on: c, project: "Ours")
        let presence = c.core.localPresence()
        guard case .array(let entries)? = presence.first?["editors"] else { Issue.record("no editors"); return }
        let hashes = entries.map { $0["resume"] ?? .null }
        #expect(hashes.filter { $0 != JSONValue.null }.count == 1)
        Node.share(c, with: a)
        a.core.nodeLeft("c")
        a.submit("get_scene_tree", target: "Original")
        guard case .failure(.unknownTarget)? = a.outcomes.last else { Issue.record("waited for an editor that does not resume"); return }
        a.submit("get_scene_tree", target: "Ours")
        #expect(a.outcomes.all.count == 1 && a.core.queuedCommandCount == 1)
        // Its grace ends: the call fails, the id stays reserved for the window.
        a.clock.advance(by: 5.1)
        a.core.tick()
        #expect(a.outcomes.last == .failure(.editorNotBack(clientId: resumable, seconds: 5)))
        #expect(a.core.resumeWindows[resumable] != nil)
    }

    /// The resume window closes: the node's presence stops listing the editor, so other nodes no longer
    /// send calls naming it there.
    @Test func aClosedWindowIsWithdrawnFromThePresence() {
        let a = Node.node("a"), c = Node.node("c")
        let (editor, _) = Node.resumableEditor(on: c, project: "Dungeon")
        c.core.disconnected(editor)
        _ = c.core.takePresenceChange()
        Node.share(c, with: a)
        #expect(a.core.anyReconnecting)
        c.clock.advance(by: 121)
        c.core.tick()
        #expect(c.core.takePresenceChange())
        Node.share(c, with: a)
        #expect(!a.core.anyReconnecting)
        a.submit("get_scene_tree", target: "Dungeon")
        guard case .failure(.unknownTarget)? = a.outcomes.last else { Issue.record("still named"); return }
    }

    /// A session pinned to an editor past its grace is served by the only editor there is, as when the
    /// pinned one is gone.
    @Test func aPinPastTheGraceFallsBackToTheOnlyEditor() {
        let harness = CoreHarness()
        let (pinned, _) = Node.resumableEditor(on: harness, project: "Dungeon")
        harness.core.pin(pinned)
        harness.core.disconnected(pinned)
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.all.isEmpty && harness.core.queuedCommandCount == 1)
        harness.clock.advance(by: 5.1)
        harness.core.tick()
        let other = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        #expect(harness.lastCommandId(sentTo: other) != nil)
    }
}
