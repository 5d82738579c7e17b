import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// An editor's answer is passed on intact or fails its call at once with the reason, through the engine
/// (was test_refused_answers.py; the answer over the size cap stays there: the cap is the socket layer's).
/// "At once" is exact here: the call is answered by the event that carried the editor's answer, with the
/// clock standing still and a 30 s command timeout.
@Suite struct RefusedAnswersThroughTheEngineTests {
    func driver() -> EngineDriver {
        .ready { $0.commandTimeout = 30 }
    }

    /// The addon's get_scene_tree shape, one child per level, built as text.
    static func sceneTreeText(depth: Int) -> String {
        (0..<depth).map { #"{"name":"Node\#($0)","type":"Control","children":["# }.joined() + String(repeating: "]}", count: depth)
    }

    /// The editor answers its one pending command with `result` as raw text; returns whether there was one.
    @discardableResult
    func answerRaw(_ driver: EngineDriver, _ editor: String, result: String) -> Bool {
        guard let id = driver.commands(to: editor).first?["id"]?.stringValue else { return false }
        driver.clientSendsText(editor, #"{"id":"\#(id)","success":true,"result":\#(result),"error":null}"#)
        return true
    }

    @Test func deepSceneTreesAreDeliveredIntact() {
        let driver = driver()
        for depth in [10, 40, 100, 300] {
            let tree = Self.sceneTreeText(depth: depth)
            let editor = driver.connectAddonEditor()
            let call = driver.callTool("get_scene_tree")
            #expect(answerRaw(driver, editor, result: tree))
            #expect(driver.toolResult(call)?.isError == false, "depth \(depth)")
            // Compared as text (deeper than JSONValue.parse goes): the tree, every level of it, as the editor sent it.
            #expect(driver.toolResult(call)?.text.filter { !$0.isWhitespace } == tree, "depth \(depth)")
            driver.clientCloses(editor, code: 1000)
        }
    }

    /// The call `answer` answers ends now, refused for `reason`, and the refusal is counted.
    func expectRefusedAtOnce(_ driver: EngineDriver, _ editor: String, answer: String, reason: String) {
        let call = driver.callTool("get_scene_tree")
        #expect(answerRaw(driver, editor, result: answer))
        let result = driver.toolResult(call)
        #expect(result?.isError == true)
        #expect(result?.text.contains("the editor's answer was refused") == true && result?.text.contains(reason) == true, "\(String(describing: result))")
        #expect((driver.connectionStats["answersRefused"]?.intValue ?? 0) >= 1)
    }

    @Test func anAnswerBeyondTheNestingBoundFailsItsCallAtOnce() {
        let driver = driver()
        let editor = driver.connectAddonEditor()
        expectRefusedAtOnce(driver, editor, answer: Self.sceneTreeText(depth: 600), reason: "nests deeper than")
        // The connection stays open and the editor keeps working.
        #expect(driver.closes[editor] == nil)
        let call = driver.callTool("get_scene_tree")
        #expect(answerRaw(driver, editor, result: #"{"ok":true}"#))
        #expect(driver.toolJSON(call) == ["ok": true])
    }

    @Test func brokenJSONThatCarriesTheIdFailsItsCallAtOnce() {
        let driver = driver()
        let editor = driver.connectAddonEditor()
        let call = driver.callTool("get_scene_tree")
        guard let id = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        driver.clientSendsText(editor, #"{"id":"\#(id)","success":true,"result":{"a":[1,2}"#)
        let result = driver.toolResult(call)
        #expect(result?.isError == true)
        #expect(result?.text.contains("the editor's answer was refused") == true && result?.text.contains("not valid JSON") == true)
        #expect((driver.connectionStats["answersRefused"]?.intValue ?? 0) >= 1)
    }

    /// A message whose id is no pending command of this editor is unsolicited: the call still gets the
    /// real answer, and the forgery is counted as unmatched, not as a refused answer.
    @Test func aForgedAnswerIdIsNotTreatedAsAnAnswer() {
        let driver = driver()
        let editor = driver.connectAddonEditor()
        let forger = driver.connectAddonEditor()
        driver.clientSends(forger, ["id": "not-a-pending-command", "success": true, "result": ["forged": true]])
        let call = driver.callTool("get_scene_tree")
        #expect(driver.commands(to: forger).isEmpty)
        #expect(driver.echoCommands(editor).count == 1)
        #expect(driver.toolJSON(call)?["command"] == "get_scene_tree")
        let stats = driver.connectionStats
        #expect(stats["answersRefused"] == 0 && stats["unmatchedResponses"] == 1)
    }
}
