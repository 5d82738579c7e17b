import Testing
@testable import GatewayCore

/// The cluster view on its own: presences and their lapse, forwarded calls sent again and given up,
/// remembered answers.
@Suite struct ClusterStateTests {
    private func editor(_ id: String, ready: Bool = true) -> ClientRecord {
        var registry = ClientRegistry()
        var record = registry.makeRecord(
            id: id, type: .godot, request: ConnectionRequest(remoteAddress: "127.0.0.1"), authenticated: true,
            security: SecuritySettings(), now: 0, nowMs: 0)
        record.ready = ready
        return record
    }

    private func forwarded(_ id: String, to node: String, editor: String = "e", deadline: Double, sentAt: Double) -> ForwardedCommand {
        ForwardedCommand(
            id: id, node: node, clientId: editor, started: 0, deadline: deadline,
            request: CommandRequest(name: "get_scene_tree", params: [:]), resent: false, call: "{}", lastSent: sentAt)
    }

    @Test func presencesCountUntilTheirTTLAndEditorsMoveOut() {
        var state = ClusterState(node: "a", presenceTTL: 6)
        #expect(state.nextDeadline == .infinity && !state.anyReconnecting)
        let b = state.receive(.init(node: "b", number: 0, count: 1, editors: [editor("e1"), editor("e2", ready: false)]), expires: 16)
        #expect(b.editors.map(\.id) == ["e1"] && state.anyReconnecting)
        _ = state.receive(.init(node: "c", number: 0, count: 1, editors: []), expires: 12)
        #expect(state.nextDeadline == 12)
        #expect(state.lapsedNodes(now: 11).isEmpty && state.lapsedNodes(now: 16) == ["b", "c"])
        state.removeEditors(of: "b") { $0.id == "e2" }
        #expect(!state.anyReconnecting)
        #expect(state.removeNode("c") != nil && state.nodes.keys.sorted() == ["b"])
    }

    @Test func forwardedCallsAreSentAgainThenGivenUp() {
        var state = ClusterState(node: "a", presenceTTL: 6)
        state.addForwarded(forwarded("1", to: "b", deadline: 10, sentAt: 0))
        state.addForwarded(forwarded("2", to: "b", deadline: 3, sentAt: 0))
        #expect(state.nextDeadline == ClusterState.forwardRetry)
        let early = state.expireForwarded(now: 0.5)
        #expect(early.lost.isEmpty && early.resend.isEmpty)
        let retry = state.expireForwarded(now: 1)
        #expect(retry.lost.isEmpty && retry.resend.map(\.id) == ["1", "2"])
        #expect(state.forwarded["1"]?.lastSent == 1 && state.forwardedPerEditor == ["e": 2])
        let late = state.expireForwarded(now: 3)
        #expect(late.lost.map(\.id) == ["2"] && late.resend.map(\.id) == ["1"])
        #expect(state.removeForwarded { $0.node == "b" }.map(\.id) == ["1"] && state.forwarded.isEmpty)
    }

    @Test func answersAreRememberedBoundedAndEndTheRun() {
        var state = ClusterState(node: "a", presenceTTL: 6)
        state.startRunning("x")
        #expect(state.isRunning("x"))
        state.remember(answer: "first", for: "x")
        #expect(!state.isRunning("x") && state.answer(to: "x") == "first")
        for index in 0..<ClusterState.rememberedAnswers { state.remember(answer: "\(index)", for: "call-\(index)") }
        #expect(state.answer(to: "x") == nil && state.answer(to: "call-0") == "0")
    }

    @Test func presenceChangesAreTakenOnce() {
        var state = ClusterState(node: "a", presenceTTL: 6)
        let first = state.takePresenceChange()
        let second = state.takePresenceChange()
        state.notePresenceChanged()
        let third = state.takePresenceChange()
        #expect(first && !second && third)
    }
}
