import Foundation
import Testing
@testable import GatewayCore

/// A node remembers its answers to calls other nodes forwarded (`GatewayCore.rememberedAnswers`), so a
/// call sent again after a lost answer is answered without running twice; the memory is bounded, the
/// oldest answers forgotten first.
@Suite struct RememberedAnswersTests {
    private func call(_ id: String, for editor: String) -> [UInt8] {
        Array(#"{"id":"\#(id)","client":"\#(editor)","command":"get_scene_tree","params":{},"from":"a","session":""}"#.utf8)
    }

    @Test func theLatestAnswersAreRememberedAndTheOldestForgotten() throws {
        let c = ClusterTests.node("c")
        let editor = ClusterTests.editor(on: c, project: "Dungeon")
        let total = GatewayCore.rememberedAnswers + 1
        _ = c.core.takeEffects()
        for index in 0..<total {
            let id = "call-\(index)"
            c.core.runForwarded(call(id, for: editor), replyTo: "a.answers")
            c.send(editor, #"{"id":"\#(id)","success":true,"result":\#(index),"error":null}"#)
        }
        let answered = c.outcomes.nodeAnswers.compactMap { try? JSONValue.parse(Data($0.utf8))["id"]?.stringValue }
        #expect(answered.count == total && Set(answered).count == total)
        _ = c.core.takeEffects()

        // The newest: answered again from memory, not sent to the editor.
        let before = c.outcomes.nodeAnswers.count
        c.core.runForwarded(call("call-\(total - 1)", for: editor), replyTo: "a.answers")
        #expect(c.sent(to: editor).filter { $0["command"] != nil }.isEmpty)
        #expect(c.outcomes.nodeAnswers.count == before + 1)
        let text = try #require(c.outcomes.nodeAnswers.last)
        #expect(try JSONValue.parse(Data(text.utf8))["result"] == .int(Int64(total - 1)))

        // The oldest is forgotten: it runs again (the editor's own answer cache is what stops a second run).
        c.core.runForwarded(call("call-0", for: editor), replyTo: "a.answers")
        #expect(c.sent(to: editor).compactMap { $0["id"]?.stringValue } == ["call-0"])
        #expect(c.core.statistics.commandsFromNodes == UInt64(total + 1))
    }
}
