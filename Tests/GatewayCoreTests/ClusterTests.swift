import Foundation
import Testing
@testable import GatewayCore

/// Two cores as two cluster nodes, joined by hand: what one publishes, the other receives.
@Suite struct ClusterTests {
    static func node(_ name: String, ttl: Double = 6, resumeWindow: Double = 120) -> CoreHarness {
        var settings = GatewaySettings()
        settings.resumeWindow = resumeWindow
        let harness = CoreHarness(settings: settings, idPrefix: "\(name)-")
        harness.core.joinCluster(ClusterSettings(node: name, presenceTTL: ttl), hash: Self.fakeHash)
        return harness
    }

    /// Stands in for SHA-256: 64 characters, different for different tokens.
    static func fakeHash(_ token: String) -> String {
        String(repeating: "f", count: max(0, 64 - token.utf8.count)) + String(token.suffix(64))
    }

    /// An editor that identifies on `harness`, with the resume token its handshake carried.
    static func resumableEditor(on harness: CoreHarness, project: String, resuming token: String? = nil) -> (id: String, token: String) {
        let id = harness.connect(userAgent: "Godot/4.3")
        let handshake = harness.sent(to: id).first { $0["type"] == "handshake" }
        let resume = token.map { #","resumeToken":"\#($0)""# } ?? ""
        harness.send(id, #"{"type":"identify","clientType":"godot","projectName":"\#(project)","resumable":true\#(resume),"capabilities":{"commands":[{"name":"get_scene_tree","inputSchema":{"type":"object"}}]}}"#)
        // A resumed handshake goes to the id taken back, not to the new connection's.
        let resumed = harness.core.takeEffects().compactMap { effect -> JSONValue? in
            guard case .send(_, let text) = effect, let message = try? JSONValue.parse(Data(text.utf8)) else { return nil }
            return message["type"] == "handshake" && message["resumed"] == true ? message : nil
        }.first
        let current = resumed ?? handshake
        return (current?["clientId"]?.stringValue ?? id, current?["resumeToken"]?.stringValue ?? "")
    }

    @discardableResult
    static func editor(on harness: CoreHarness, project: String) -> String {
        let id = harness.connect(userAgent: "Godot/4.3")
        harness.send(id, #"{"type":"identify","clientType":"godot","projectName":"\#(project)","capabilities":{"commands":[{"name":"get_scene_tree","inputSchema":{"type":"object"},"readOnly":true}]}}"#)
        return id
    }

    /// Hands `from`'s presence to `to`, as the key-value watch would: the parts after the first, then
    /// the first, in the order the link writes them.
    static func share(_ from: CoreHarness, with to: CoreHarness, partBudget: Int = ClusterPresence.partBudget) {
        let parts = from.core.localPresence(partBudget: partBudget)
        for part in parts.dropFirst() + parts.prefix(1) { to.core.receivePresence(Array(part.jsonText.utf8)) }
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
        _ = c.core.takeEffects()
        c.core.runForwarded(Array(calls[0].call.utf8), replyTo: "a.answers")
        guard let commandId = c.lastCommandId(sentTo: dungeon) else { Issue.record("not sent to the editor"); return }
        c.send(dungeon, #"{"id":"\#(commandId)","success":true,"result":{"tree":[1,2]},"error":null}"#)
        let text = try #require(c.outcomes.nodeAnswers.last)
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
        _ = c.core.takeEffects()
        c.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers")
        let commandId = try #require(c.lastCommandId(sentTo: editor))
        c.send(editor, #"{"id":"\#(commandId)","success":false,"result":null,"error":"no scene open"}"#)
        a.core.forwardedAnswer(Array(try #require(c.outcomes.nodeAnswers.last).utf8))
        guard case .failure(let failure)? = a.outcomes.last else { Issue.record("no failure"); return }
        #expect(failure.kind == "editor_error")
        #expect(failure.description.contains("no scene open"))
        #expect(failure.clientId == editor)
    }

    @Test func aReadOnlyCallersForwardedCallIsJudgedByTheRunningNodesEditor() throws {
        let a = Self.node("a"), c = Self.node("c")
        let editor = Self.editor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        var request = CommandRequest(name: "get_scene_tree", params: [:])
        request.readOnlyCaller = "bob"
        a.core.submit(request)
        let call = try #require(Self.forwarded(a).first)
        #expect(call.call.contains(#""readOnlyCaller":"bob""#))
        // By the time it arrives the editor declares the command as one that changes the project.
        c.send(editor, #"{"type":"identify","clientType":"godot","projectName":"Dungeon","capabilities":{"commands":[{"name":"get_scene_tree","inputSchema":{"type":"object"},"readOnly":false}]}}"#)
        _ = c.core.takeEffects()
        c.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers")
        #expect(c.lastCommandId(sentTo: editor) == nil)
        #expect(try #require(c.outcomes.nodeAnswers.last).contains("read_only_caller"))
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
        // Resuming off: nothing waits for the editor to come back.
        let a = Self.node("a", ttl: 3, resumeWindow: 0), c = Self.node("c", ttl: 3, resumeWindow: 0)
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

    /// Node c dies with two calls of node a's host in flight to its editor; the editor comes back on node b
    /// with its token; the calls follow it there, once, with their ids, and each ends once.
    @Test func anEditorWhoseNodeDiedResumesOnAnotherAndItsCallsFollowIt() throws {
        let a = Self.node("a", ttl: 3), b = Self.node("b", ttl: 3), c = Self.node("c", ttl: 3)
        let (editor, token) = Self.resumableEditor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        Self.share(c, with: b)
        a.submit("get_scene_tree")
        a.submit("get_scene_tree")
        let first = Self.forwarded(a).compactMap { try? JSONValue.parse(Data($0.call.utf8))["id"]?.stringValue }
        try #require(first.count == 2)
        for harness in [a, b] {
            harness.clock.advance(by: 3.5)
            harness.core.tick()
        }
        #expect(a.outcomes.all.isEmpty)  // waiting for the editor to come back, not failed
        _ = a.core.takeEffects()

        let back = Self.resumableEditor(on: b, project: "Dungeon", resuming: token)
        #expect(back.id == editor)
        #expect(back.token != token)
        Self.share(b, with: a)
        let again = Self.forwarded(a)
        #expect(again.map(\.node) == ["b", "b"])
        let ids = again.compactMap { try? JSONValue.parse(Data($0.call.utf8))["id"]?.stringValue }
        #expect(Set(ids) == Set(first))

        _ = b.core.takeEffects()
        for call in again { b.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers") }
        let sent = b.sent(to: editor).compactMap { $0["id"]?.stringValue }
        #expect(Set(sent) == Set(first))  // the editor sees the same ids: its answer cache recognises them
        for id in sent { b.send(editor, #"{"id":"\#(id)","success":true,"result":"done","error":null}"#) }
        for answer in b.outcomes.nodeAnswers { a.core.forwardedAnswer(Array(answer.utf8)) }
        #expect(a.outcomes.all == [.success(result: "done", clientId: editor), .success(result: "done", clientId: editor)])
    }

    /// A token claimed from another node's presence is used up: presented again while that node still lists
    /// the editor, it is refused (4001), and the id stays with the one connection that took it.
    @Test func aTokenClaimedFromAnotherNodeCannotBeUsedTwice() throws {
        let b = Self.node("b", ttl: 3), c = Self.node("c", ttl: 3)
        let (editor, token) = Self.resumableEditor(on: c, project: "Dungeon")
        Self.share(c, with: b)
        let first = Self.resumableEditor(on: b, project: "Dungeon", resuming: token)
        #expect(first.id == editor)
        // Node c has not seen its editor go yet: its next presence still lists it.
        Self.share(c, with: b)
        let second = Self.resumableEditor(on: b, project: "Dungeon", resuming: token)
        #expect(second.id != editor)
        #expect(b.core.registry.unordered.filter { $0.id == editor }.count == 1)
    }

    /// The editor reconnects to node b before node c's presence lapsed (a load balancer moved it at once).
    @Test func anEditorResumesOnAnotherNodeBeforeItsNodesPresenceLapsed() throws {
        let a = Self.node("a", ttl: 3), b = Self.node("b", ttl: 3), c = Self.node("c", ttl: 3)
        let (editor, token) = Self.resumableEditor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        Self.share(c, with: b)
        a.submit("get_scene_tree")
        let call = try #require(Self.forwarded(a).first)
        let back = Self.resumableEditor(on: b, project: "Dungeon", resuming: token)
        #expect(back.id == editor)
        Self.share(b, with: a)
        #expect(a.core.routableEditors.map(\.node) == ["b"])
        // Node b lists it now: the call goes to node b with its id at once, not when node c lapses.
        let again = try #require(Self.forwarded(a).first)
        #expect(again.node == "b")
        #expect(try JSONValue.parse(Data(again.call.utf8))["id"] == JSONValue.parse(Data(call.call.utf8))["id"])
        a.clock.advance(by: 2)
        Self.share(b, with: a)
        a.clock.advance(by: 1.5)
        a.core.tick()
        #expect(Self.forwarded(a).allSatisfy { $0.node == "b" && $0.call == again.call })  // retried there, not elsewhere
        #expect(a.outcomes.all.isEmpty)
    }

    /// A token no node published is refused as before: the client goes on as a new one.
    @Test func anUnknownTokenInAClusterMakesANewClient() {
        let b = Self.node("b")
        let back = Self.resumableEditor(on: b, project: "Dungeon", resuming: String(repeating: "0", count: 64))
        #expect(back.id.hasPrefix("b-"))
        #expect(b.core.statistics.clientsResumed == 0)
    }

    @Test func roundRobinAndLeastBusyReachEveryNodesEditors() throws {
        var settings = GatewaySettings()
        settings.routing = .roundRobin
        let a = CoreHarness(settings: settings, idPrefix: "a-")
        a.core.joinCluster(ClusterSettings(node: "a"), hash: Self.fakeHash)
        let c = Self.node("c")
        let remote = Self.editor(on: c, project: "Remote")
        Self.share(c, with: a)
        let local = Self.editor(on: a, project: "Local")
        _ = a.core.takeEffects()
        var chosen: [String] = []
        for _ in 0..<4 {
            a.submit("get_scene_tree")
            let effects = a.core.takeEffects()
            for effect in effects {
                if case .forward = effect { chosen.append(remote) }
                if case .send(let handle, let text) = effect, handle == a.handle(local), text.contains("get_scene_tree") { chosen.append(local) }
            }
        }
        #expect(chosen == [local, remote, local, remote])

        settings.routing = .leastBusy
        let b = CoreHarness(settings: settings, idPrefix: "b-")
        b.core.joinCluster(ClusterSettings(node: "b"), hash: Self.fakeHash)
        Self.share(c, with: b)
        let busy = Self.editor(on: b, project: "Busy")
        _ = b.core.takeEffects()
        b.submit("get_scene_tree")  // both idle: the first candidate, this node's
        b.submit("get_scene_tree")  // this node's has one in flight: the other node's
        b.submit("get_scene_tree")  // one each: the first again
        let effects = b.core.takeEffects()
        let sentHere = effects.filter { if case .send(let handle, let text) = $0 { handle == b.handle(busy) && text.contains("get_scene_tree") } else { false } }.count
        let forwarded = effects.filter { if case .forward = $0 { true } else { false } }.count
        #expect(sentHere == 2 && forwarded == 1)
    }

    /// NATS delivers at most once: an unanswered call is sent again each second, and the node that runs
    /// it answers a repeat with the same answer, without running the command twice.
    @Test func aRepeatedCallIsAnsweredOnceRunAndAnUnansweredOneIsSentAgain() throws {
        let a = Self.node("a"), c = Self.node("c")
        let editor = Self.editor(on: c, project: "Dungeon")
        Self.share(c, with: a)
        a.submit("get_scene_tree")
        let call = try #require(Self.forwarded(a).first)
        a.clock.advance(by: 0.5)
        a.core.tick()
        #expect(Self.forwarded(a).isEmpty)
        a.clock.advance(by: 0.6)
        a.core.tick()
        #expect(Self.forwarded(a).map(\.call) == [call.call])

        _ = c.core.takeEffects()
        c.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers")
        c.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers")  // still running: ignored
        let sent = c.sent(to: editor).filter { $0["command"] != nil }
        #expect(sent.count == 1)
        let id = try #require(sent.first?["id"]?.stringValue)
        c.send(editor, #"{"id":"\#(id)","success":true,"result":7,"error":null}"#)
        c.core.runForwarded(Array(call.call.utf8), replyTo: "a.answers")  // answered: the same answer again
        let answers = c.outcomes.nodeAnswers
        #expect(c.sent(to: editor).filter { $0["command"] != nil }.isEmpty)
        #expect(answers.count == 2 && answers[0] == answers[1])
        #expect(c.core.statistics.commandsFromNodes == 1)
        for answer in answers { a.core.forwardedAnswer(Array(answer.utf8)) }
        #expect(a.outcomes.all == [.success(result: 7, clientId: editor)])
    }

    /// A call made before any editor was seen waits (startup grace), and goes to another node's editor
    /// as soon as that node's presence arrives.
    @Test func aWaitingCallIsDeliveredToAnEditorThatAppearsOnAnotherNode() {
        let a = CoreHarness(idPrefix: "a-", startupGrace: 30)
        a.core.joinCluster(ClusterSettings(node: "a"), hash: Self.fakeHash)
        let c = Self.node("c")
        a.submit("get_scene_tree")
        #expect(Self.forwarded(a).isEmpty && a.outcomes.all.isEmpty)
        Self.editor(on: c, project: "Late")
        Self.share(c, with: a)
        #expect(Self.forwarded(a).map(\.node) == ["c"])
    }

    /// An editor on `harness` that declares `commands`.
    @discardableResult
    static func editor(on harness: CoreHarness, project: String, commands: [String]) -> String {
        let id = harness.connect(userAgent: "Godot/4.3")
        let declared = commands.map { #"{"name":"\#($0)","description":"\#(String(repeating: "d", count: 200))","inputSchema":{"type":"object"}}"# }
        harness.send(id, #"{"type":"identify","clientType":"godot","projectName":"\#(project)","capabilities":{"commands":[\#(declared.joined(separator: ","))]}}"#)
        return id
    }

    /// A node with many editors publishes its presence in parts that each stay near the budget; another
    /// node reads them whole, with each editor's own commands, whatever order they arrive in, and forgets
    /// the parts a smaller presence no longer has.
    @Test func aLargePresenceIsWrittenInPartsAndReadWhole() throws {
        let a = Self.node("a"), c = Self.node("c")
        let sets = [["build_a"], ["build_b", "extra"], ["build_c"]]
        let editors = (0..<60).map { Self.editor(on: c, project: "P\($0)", commands: sets[$0 % 3]) }
        let budget = 4096
        let parts = c.core.localPresence(partBudget: budget)
        #expect(parts.count > 5)
        for (number, part) in parts.enumerated() {
            #expect(part["part"]?.intValue == Int64(number) && part["parts"]?.intValue == Int64(parts.count))
            #expect(part.jsonText.utf8.count <= budget + 256)
        }
        // The first part first: the others count once they arrive.
        for part in parts { a.core.receivePresence(Array(part.jsonText.utf8)) }
        #expect(Set(a.core.routableEditors.map(\.id)) == Set(editors))
        #expect(a.core.routableEditors.count == 60)
        for (index, id) in editors.enumerated() {
            let seen = try #require(a.core.routableEditors.first { $0.id == id })
            #expect(seen.offeredTools?.map(\.name) == sets[index % 3])
        }
        a.submit("extra")
        #expect(Self.forwarded(a).map(\.node) == ["c"])

        for id in editors.dropFirst(10) { c.core.disconnected(id) }
        let fewer = c.core.localPresence(partBudget: budget)
        #expect(fewer.count < parts.count)
        Self.share(c, with: a, partBudget: budget)
        #expect(a.core.routableEditors.map(\.id).sorted() == editors.prefix(10).sorted())
    }

    /// Part numbers come from the network: impossible ones are refused; a presence without them (from a
    /// node before parts) is the whole presence.
    @Test func impossiblePartNumbersAreRefusedAndAPresenceWithoutThemIsWhole() {
        let a = Self.node("a")
        a.core.receivePresence(Array(#"{"node":"b","part":2,"parts":2,"editors":[{"clientId":"x"}]}"#.utf8))
        a.core.receivePresence(Array(#"{"node":"b","part":-1,"parts":2,"editors":[{"clientId":"x"}]}"#.utf8))
        a.core.receivePresence(Array(#"{"node":"b","part":0,"parts":100000,"editors":[{"clientId":"x"}]}"#.utf8))
        #expect(a.core.routableEditors.isEmpty)
        a.core.receivePresence(Array(#"{"node":"b","editors":[{"clientId":"x"},{"clientId":"y"}]}"#.utf8))
        #expect(a.core.routableEditors.map(\.id) == ["x", "y"])
    }
}
