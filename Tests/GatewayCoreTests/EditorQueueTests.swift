import Testing
@testable import GatewayCore

@Suite struct EditorQueueTests {
    private func harness(concurrency: Int) -> CoreHarness {
        var settings = GatewaySettings()
        settings.editorConcurrency = concurrency
        settings.resumeWindow = 0
        return CoreHarness(settings: settings)
    }

    private func commandIds(_ messages: [JSONValue]) -> [String] {
        messages.filter { $0["command"] != nil }.compactMap { $0["id"]?.stringValue }
    }

    private func answer(_ harness: CoreHarness, _ editor: String, _ id: String) {
        harness.send(editor, #"{"id":"\#(id)","success":true,"result":{},"error":null}"#)
    }

    @Test func commandsBeyondTheLimitWaitAndLeaveInOrderAsOthersEnd() {
        let harness = harness(concurrency: 2)
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        for name in ["a", "b", "c", "d"] { harness.submit(name) }
        let sent = harness.sent(to: editor)
        #expect(sent.compactMap { $0["command"]?.stringValue } == ["a", "b"])
        #expect(harness.core.queuedCommandCount == 2)
        #expect(harness.core.registry[editor]?.queuedCommands == 2)
        answer(harness, editor, commandIds(sent)[0])
        #expect(harness.sent(to: editor).compactMap { $0["command"]?.stringValue } == ["c"])
        answer(harness, editor, commandIds(sent)[1])
        #expect(harness.sent(to: editor).compactMap { $0["command"]?.stringValue } == ["d"])
        #expect(harness.core.queuedCommandCount == 0)
    }

    @Test func aQueuedCommandsTimeoutStartsWhenItIsSent() {
        let harness = harness(concurrency: 1)  // 10 s command timeout
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("slow")
        harness.submit("next")
        guard let slow = harness.lastCommandId(sentTo: editor) else { Issue.record("not sent"); return }
        harness.clock.advance(by: 9)
        answer(harness, editor, slow)
        #expect(harness.sent(to: editor).compactMap { $0["command"]?.stringValue } == ["next"])
        harness.clock.advance(by: 9)  // 18 s after it was submitted, 9 s after it was sent
        harness.core.tick()
        #expect(harness.outcomes.all.count == 1)
        harness.clock.advance(by: 1.5)
        harness.core.tick()
        #expect(harness.outcomes.last == .failure(.timedOut(seconds: 10, clientId: editor)))
    }

    @Test func aCancelledQueuedCommandIsNeverSentAndTheEditorIsNotTold() {
        let harness = harness(concurrency: 1)
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        harness.submit("first")
        let first = harness.lastCommandId(sentTo: editor)
        var queuedId: String?
        queuedId = harness.core.submit(CommandRequest(name: "second", params: [:]))
        guard let first, let queuedId else { Issue.record("not routed"); return }
        harness.core.cancel(queuedId)
        #expect(harness.sent(to: editor).isEmpty)
        #expect(harness.core.statistics.commandsCancelled == 1)
        answer(harness, editor, first)
        #expect(commandIds(harness.sent(to: editor)).isEmpty)
        #expect(harness.outcomes.all.count == 1)
    }

    @Test func queuedCommandsFailWhenTheirEditorLeaves() {
        let harness = harness(concurrency: 1)
        let editor = harness.connectEditor()
        harness.submit("a")
        harness.submit("b")
        harness.core.disconnected(editor)
        #expect(harness.outcomes.all == [.failure(.clientDisconnected(clientId: editor)), .failure(.clientDisconnected(clientId: editor))])
        #expect(harness.core.queuedCommandCount == 0)
    }

    @Test func leastBusyCountsQueuedCommands() {
        var settings = GatewaySettings()
        settings.editorConcurrency = 1
        settings.routing = .leastBusy
        let harness = CoreHarness(settings: settings)
        let first = harness.connectEditor()
        let second = harness.connectEditor()
        _ = harness.core.takeEffects()
        for name in ["a", "b", "c", "d"] { harness.submit(name) }
        #expect(harness.core.registry[first]?.busyness == 2)
        #expect(harness.core.registry[second]?.busyness == 2)
    }

    @Test func withoutALimitNothingWaits() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        _ = harness.core.takeEffects()
        for name in ["a", "b", "c"] { harness.submit(name) }
        #expect(harness.sent(to: editor).count == 3)
        #expect(harness.core.queuedCommandCount == 0)
    }
}
