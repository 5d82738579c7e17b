import Foundation
import Testing
@testable import GatewayCore

/// Two cores as two cluster nodes, joined by hand: what one publishes, the other receives.
@Suite struct ClusterTests {
    static func node(_ name: String, ttl: Double = 6) -> CoreHarness {
        let harness = CoreHarness(idPrefix: "\(name)-")
        harness.core.joinCluster(ClusterSettings(node: name, presenceTTL: ttl))
        return harness
    }

    @discardableResult
    static func editor(on harness: CoreHarness, project: String) -> String {
        let id = harness.connect(userAgent: "Godot/4.3")
        harness.send(id, #"{"type":"identify","clientType":"godot","projectName":"\#(project)","capabilities":{"commands":[{"name":"get_scene_tree","inputSchema":{"type":"object"},"readOnly":true}]}}"#)
        return id
    }

    /// Hands `from`'s presence to `to`, as the key-value watch would.
    static func share(_ from: CoreHarness, with to: CoreHarness) {
        to.core.receivePresence(Array(from.core.localPresence().jsonText.utf8))
    }

    /// The calls `harness` forwarded since the last look, by node.
    static func forwarded(_ harness: CoreHarness) -> [(node: String, call: String)] {
        harness.core.takeEffects().compactMap { effect in
            guard case .forward(let node, let call) = effect else { return nil }
            return (node, call)
        }
    }

    @Test func anotherNodesEditorIsListedAndTargetedAndItsAnswerComesBack() throws {
        let a = Self.node("a"), c = Self.node("c")
        let dungeon = Self.editor(on: c, project: "Dungeon")
        #expect(c.core.takePresenceChange())
        Self.share(c, with: a)
        #expect(a.core.routableEditors.map(\.id) == [dungeon])
        guard case .array(let listed)? = a.core.clientsReport["clients"] else { Issue.record("no list"); return }
        #expect(listed.first?["node"] == "c")

        a.submit("get_scene_tree", params: ["depth": 2], target: "dung")
        let calls = Self.forwarded(a)
        try #require(calls.count == 1)
        #expect(calls[0].node == "c")

        // Node c runs it as a call naming its editor, and answers with the editor's result spliced in.
        var answer: String?
        _ = c.core.takeEffects()
        c.core.runForwarded(Array(calls[0].call.utf8)) { answer = $0 }
        guard let commandId = c.lastCommandId(sentTo: dungeon) else { Issue.record("not sent to the editor"); return }
        c.send(dungeon, #"{"id":"\#(commandId)","success":true,"result":{"tree":[1,2]},"error":null}"#)
        let text = try #require(answer)
        a.core.forwardedAnswer(Array(text.utf8))
        #expect(a.outcomes.last == .success(result: ["tree": [1, 2]], clientId: dungeon))
        #expect(a.core.statistics.commandsForwarded == 1)
        #expect(c.core.statistics.commandsFromNodes == 1)
    }

    @Test func anEditorsFailureOnTheOtherNodeKeepsItsWords() throws {
        let a = Self.node("a"), c = Self.node("c")
        let editor = Self.editor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        a.submit("get_scene_tree")
        let call = try #require(Self.forwarded(a).first)
        var answer: String?
        _ = c.core.takeEffects()
        c.core.runForwarded(Array(call.call.utf8)) { answer = $0 }
        let commandId = try #require(c.lastCommandId(sentTo: editor))
        c.send(editor, #"{"id":"\#(commandId)","success":false,"result":null,"error":"no scene open"}"#)
        a.core.forwardedAnswer(Array(try #require(answer).utf8))
        guard case .failure(let failure)? = a.outcomes.last else { Issue.record("no failure"); return }
        #expect(failure.kind == "editor_error")
        #expect(failure.description.contains("no scene open"))
        #expect(failure.clientId == editor)
    }

    @Test func localEditorsComeFirstAndAnotherNodesServeWhatNoneHereOffers() {
        let a = Self.node("a"), c = Self.node("c")
        Self.editor(on: c, project: "Remote")
        Self.share(c, with: a)
        let local = Self.editor(on: a, project: "Local")
        _ = a.core.takeEffects()
        a.submit("get_scene_tree")
        #expect(a.lastCommandId(sentTo: local) != nil)
        a.core.disconnected(local)
        _ = a.core.takeEffects()
        a.submit("get_scene_tree")
        #expect(Self.forwarded(a).map(\.node) == ["c"])
    }

    @Test func aLapsedPresenceDropsTheNodeAndEndsItsCallsOnce() throws {
        let a = Self.node("a", ttl: 3), c = Self.node("c", ttl: 3)
        let editor = Self.editor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        a.submit("get_scene_tree")
        a.submit("get_scene_tree")
        #expect(Self.forwarded(a).count == 2)
        a.clock.advance(by: 2)
        a.core.tick()
        #expect(a.outcomes.all.isEmpty)
        #expect(a.core.nextDeadline <= a.clock.monotonicSeconds() + 1)
        a.clock.advance(by: 1)
        a.core.tick()
        #expect(a.outcomes.all == Array(repeating: .failure(.nodeLost(node: "c", clientId: editor)), count: 2))
        #expect(a.core.routableEditors.isEmpty)
        // A late answer is not delivered a second time.
        a.core.forwardedAnswer(Array(#"{"id":"a-1","success":true,"result":1}"#.utf8))
        #expect(a.outcomes.all.count == 2)
    }

    @Test func aRefreshedPresenceKeepsTheNodeAndAWithdrawnOneDropsItAtOnce() {
        let a = Self.node("a", ttl: 3), c = Self.node("c", ttl: 3)
        Self.editor(on: c, project: "Dungeon")
        for _ in 0..<5 {
            Self.share(c, with: a)
            a.clock.advance(by: 2)
            a.core.tick()
        }
        #expect(a.core.routableEditors.count == 1)
        a.core.nodeLeft("c")
        #expect(a.core.routableEditors.isEmpty)
    }

    @Test func aNodeIgnoresItsOwnPresenceAndMalformedOnes() {
        let a = Self.node("a")
        Self.editor(on: a, project: "Mine")
        Self.share(a, with: a)
        a.core.receivePresence(Array(#"{"node":"bad name!","editors":[{"clientId":"x"}]}"#.utf8))
        a.core.receivePresence(Array(#"{"node":"b","editors":[{"clientId":""},{"nope":1}]}"#.utf8))
        a.core.receivePresence(Array("not json".utf8))
        #expect(a.core.routableEditors.map(\.node) == [nil])
    }

    @Test func withoutAClusterNothingIsForwardedOrPublished() {
        let harness = CoreHarness()
        harness.connectEditor()
        #expect(!harness.core.takePresenceChange())
        harness.core.receivePresence(Array(#"{"node":"b","editors":[{"clientId":"x"}]}"#.utf8))
        #expect(harness.core.routableEditors.count == 1)
    }
}
