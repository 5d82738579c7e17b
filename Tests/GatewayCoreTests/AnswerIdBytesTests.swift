import Testing
@testable import GatewayCore

/// An answer in the common shape to an id this process made is matched by the id's bytes
/// (`CommandsInFlight.takeOwn`); every other id goes the way it went before. These are the edges of that
/// split: ids spelling the prefix without being one of its counters, escaped ids, late answers.
@Suite struct AnswerIdBytesTests {
    private func routed(_ harness: CoreHarness, to editor: String) -> (id: String, prefix: String, counter: String) {
        harness.submit("get_scene_tree")
        let id = harness.lastCommandId(sentTo: editor) ?? ""
        let dash = id.lastIndex(of: "-") ?? id.startIndex
        return (id, String(id[...dash]), String(id[id.index(after: dash)...]))
    }

    @Test func thePrefixWithoutOneOfItsCountersMatchesNothing() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        let (_, prefix, counter) = routed(harness, to: editor)
        let wrong = [
            prefix + "0" + counter,  // a leading zero: a second spelling of the number
            prefix + counter + "x", prefix + " " + counter, prefix, prefix + "-" + counter,
            prefix + "9223372036854775808",  // the foreign bit
            prefix + "18446744073709551617",  // past UInt64
            prefix + "9223372036854775807",  // a counter, never made
            String(prefix.dropLast()) + counter,
        ]
        for id in wrong {
            harness.send(editor, #"{"id":"\#(id)","success":true,"result":"wrong"}"#)
        }
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.statistics.unmatchedResponses == UInt64(wrong.count))
        #expect(harness.core.pendingCommandCount == 1)
        // The first digit escaped (\u0031 for "1"): the full parser reads the id, and it answers the command.
        let escaped = prefix + "\\u003" + String(counter.prefix(1)) + String(counter.dropFirst())
        harness.send(editor, #"{"id":"\#(escaped)","success":true,"result":"right"}"#)
        #expect(harness.outcomes.all == [.success(result: "right", clientId: editor)])
        #expect(harness.core.registry[editor]?.inFlightCommands.isEmpty == true)
    }

    @Test func anotherEditorsAnswerLeavesTheCommandWithItsEditor() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        let other = harness.connectEditor()
        let (id, _, _) = routed(harness, to: editor)
        harness.send(other, #"{"id":"\#(id)","success":false,"error":"forged"}"#)
        #expect(harness.outcomes.all.isEmpty)
        #expect(harness.core.statistics.unmatchedResponses == 1)
        harness.send(editor, #"{"id":"\#(id)","success":false,"error":"real"}"#)
        #expect(harness.outcomes.all == [.failure(.editorError(message: "real", clientId: editor))])
    }

    @Test func lateAnswersAfterATimeoutOrACancelEndNothing() {
        var settings = GatewaySettings()
        settings.commandTimeout = 1
        let harness = CoreHarness(settings: settings)
        let editor = harness.connectEditor()
        let (timedOut, _, _) = routed(harness, to: editor)
        harness.clock.advance(by: 1)
        harness.core.tick()
        harness.send(editor, #"{"id":"\#(timedOut)","success":true,"result":1}"#)
        let (cancelled, _, _) = routed(harness, to: editor)
        harness.core.cancel(cancelled)
        harness.send(editor, #"{"id":"\#(cancelled)","success":true,"result":2}"#)
        #expect(harness.outcomes.all == [.failure(.timedOut(seconds: 1, clientId: editor))])
        #expect(harness.core.statistics.unmatchedResponses == 2)
        #expect(harness.core.pendingCommandCount == 0)
        #expect(harness.core.registry[editor]?.inFlightCommands.isEmpty == true)
    }
}
