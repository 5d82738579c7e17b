import Testing
@testable import GatewayCore

@Suite struct CancelAndProgressTests {
    @Test func aCancelledCommandEndsWithoutAnOutcomeAndItsEditorIsTold() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        guard let id = harness.lastCommandId(sentTo: editor) else { Issue.record("not routed"); return }
        harness.core.cancel(id)
        #expect(harness.sent(to: editor).contains { $0["type"] == "cancel" && $0["id"] == .string(id) })
        #expect(harness.core.pendingCommandCount == 0)
        #expect(harness.core.statistics.commandsCancelled == 1)
        // The editor's late answer completes nothing, and a second cancel is ignored.
        harness.send(editor, #"{"id":"\#(id)","success":true,"result":1,"error":null}"#)
        harness.core.cancel(id)
        harness.clock.advance(by: 60)
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.statistics.commandsCancelled == 1)
    }

    @Test func progressMovesTheDeadlineWithinItsBound() {
        let harness = CoreHarness()  // 10 s command timeout
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.core.submit(CommandRequest(name: "save_scene", params: [:], wantsProgress: true))
        guard let id = harness.lastCommandId(sentTo: editor) else { Issue.record("not routed"); return }
        // Keep the editor alive past its heartbeat timeout while the command runs.
        func progress(_ step: Int) {
            harness.send(editor, #"{"type":"progress","id":"\#(id)","progress":\#(step),"total":100,"message":"step"}"#)
        }
        harness.clock.advance(by: 8)
        progress(1)
        harness.clock.advance(by: 9)  // 17 s in: past the first deadline, within the moved one
        harness.core.tick()
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.outcomes.progress.map(\.progress) == [1])
        // Progress keeps a command alive for at most 30 timeouts in all.
        for step in 2...40 {
            harness.clock.advance(by: 9)
            progress(step)
            harness.core.tick()
        }
        #expect(harness.outcomes.last == .failure(.timedOut(seconds: 300, clientId: editor)))
    }

    @Test func progressForAnotherEditorsCommandIsIgnored() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        let stranger = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.core.submit(CommandRequest(name: "save_scene", params: [:], wantsProgress: true))
        guard let id = harness.lastCommandId(sentTo: editor) else { Issue.record("not routed"); return }
        harness.send(stranger, #"{"type":"progress","id":"\#(id)","progress":1}"#)
        #expect(harness.outcomes.progress.isEmpty)
    }
}
