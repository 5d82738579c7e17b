import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Routing a host's `tools/call` to editors, through the whole engine (host line in, command out, answer
/// in, result line out) with the embedded driver: no socket, no process, a manual clock. These replace
/// the integration tests that started the binary for protocol logic alone (test_targeting.py,
/// test_routing.py, test_waiting.py).
@Suite struct RoutingThroughTheEngineTests {
    func driver(_ change: (inout GatewaySettings) -> Void = { _ in }) -> EngineDriver {
        .ready(change)
    }

    func editor(_ driver: EngineDriver, _ name: String, _ path: String) -> String {
        driver.connectEditor(identity: ["projectName": .string(name), "projectPath": .string(path)])
    }

    func call(_ driver: EngineDriver, _ tool: String = "get_scene_tree", _ arguments: JSONValue = [:]) -> Int {
        driver.hostRequest("tools/call", ["name": .string(tool), "arguments": arguments])
    }

    /// The one command `editor` was sent since the last look, answered with `result`.
    func answerOnlyCommand(_ driver: EngineDriver, _ editor: String, result: JSONValue = ["ok": true]) -> JSONValue? {
        let commands = driver.commands(to: editor)
        guard commands.count == 1, let id = commands[0]["id"]?.stringValue else { return nil }
        driver.editorAnswers(editor, id, result: result)
        return commands[0]
    }

    @Test func aCallIsRoutedByIdNameOrPathAndTheClientArgumentIsNotForwarded() {
        let driver = driver()
        let platformer = editor(driver, "Platformer", "/home/me/games/platformer/")
        let puzzle = editor(driver, "Puzzle Tower", "/home/me/games/puzzle/")
        let byName = call(driver, "get_scene_tree", ["client": "puzzle"])
        #expect(answerOnlyCommand(driver, puzzle)?["params"] == [:])
        #expect(driver.toolResult(byName)?.isError == false)
        _ = call(driver, "get_scene_tree", ["client": "/home/me/games/plat"])
        #expect(answerOnlyCommand(driver, platformer) != nil)
        _ = call(driver, "get_scene_tree", ["client": .string(puzzle)])
        #expect(answerOnlyCommand(driver, puzzle) != nil)
        let byDefault = call(driver)
        #expect(answerOnlyCommand(driver, platformer, result: ["project": "Platformer"]) != nil)  // the first ready editor
        #expect(driver.toolResult(byDefault)?.text.contains("Platformer") == true)
    }

    @Test func unknownAndAmbiguousTargetsAreToolErrorsThatListTheEditors() {
        let driver = driver()
        let one = editor(driver, "Game", "/work/game/")
        let two = editor(driver, "Game Tools", "/work/game-tools/")
        let unknown = call(driver, "get_scene_tree", ["client": "shooter"])
        let text = driver.toolResult(unknown)?.text ?? ""
        #expect(driver.toolResult(unknown)?.isError == true && text.contains("No connected Godot editor matches client 'shooter'"))
        #expect(text.contains(one) && text.contains(two) && text.contains("Game Tools"))
        let ambiguous = call(driver, "get_scene_tree", ["client": "/work/game"])
        #expect(driver.toolResult(ambiguous)?.text.contains("Several Godot editors match") == true)
        _ = call(driver, "get_scene_tree", ["client": "game"])  // an exact name wins over a prefix of another
        #expect(driver.commands(to: one).count == 1 && driver.commands(to: two).isEmpty)
    }

    @Test func roundRobinSpreadsCallsAndResultsSayWhichEditorAnswered() {
        let driver = driver { $0.routing = .roundRobin }
        let editors = (0..<3).map { editor(driver, "Project \($0)", "/p/\($0)/") }
        var order: [String] = []
        for _ in 0..<6 {
            let id = call(driver)
            for editor in editors where answerOnlyCommand(driver, editor) != nil { order.append(editor) }
            let response = driver.hostResponse(id)
            #expect(response?["result"]?["_meta"]?["godot-mcp/clientId"]?.stringValue == order.last)
        }
        #expect(order == editors + editors)
    }

    @Test func leastBusySkipsTheEditorThatIsStillWorking() {
        let driver = driver {
            $0.routing = .leastBusy
            $0.commandTimeout = 30
        }
        let slow = editor(driver, "Slow", "/slow/")
        let fast = editor(driver, "Fast", "/fast/")
        _ = call(driver, "get_scene_tree", ["client": "slow"])
        #expect(driver.commands(to: slow).count == 1)  // left unanswered
        for _ in 0..<3 {
            _ = call(driver)
            #expect(answerOnlyCommand(driver, fast) != nil)
        }
    }

    @Test func selectClientPinsTheSessionUntilUnpinned() {
        let driver = driver()
        let first = editor(driver, "First", "/first/")
        let second = editor(driver, "Second", "/second/")
        let pin = call(driver, "select_client", ["client": "sec"])
        #expect(driver.toolResult(pin)?.isError == false && driver.toolResult(pin)?.text.contains(second) == true)
        _ = call(driver)
        #expect(answerOnlyCommand(driver, second) != nil)
        _ = call(driver, "get_scene_tree", ["client": "first"])
        #expect(answerOnlyCommand(driver, first) != nil)
        let nowhere = call(driver, "select_client", ["client": "nowhere"])
        #expect(driver.toolResult(nowhere)?.isError == true)
        _ = call(driver)
        #expect(answerOnlyCommand(driver, second) != nil)  // the pin stands
        _ = call(driver, "select_client")
        _ = call(driver)
        #expect(answerOnlyCommand(driver, first) != nil)
    }

    @Test func editorConcurrencyKeepsTheRestWaitingInOrder() {
        let driver = driver {
            $0.editorConcurrency = 1
            $0.commandTimeout = 30
        }
        let editor = editor(driver, "Only", "/only/")
        let calls = (0..<3).map { _ in call(driver) }
        var seen: [JSONValue] = []
        for _ in 0..<3 {
            let commands = driver.commands(to: editor)
            #expect(commands.count == 1, "a second command reached the editor before the first was answered")
            guard let command = commands.first, let id = command["id"]?.stringValue else { return }
            seen.append(command)
            driver.editorAnswers(editor, id)
        }
        #expect(calls.allSatisfy { driver.toolResult($0)?.isError == false })
        #expect(Set(seen.compactMap { $0["id"]?.stringValue }).count == 3)
    }

    @Test func noEditorIsAClearToolErrorAndAnEditorsErrorKeepsItsWords() {
        let driver = driver()
        let none = call(driver)
        #expect(driver.toolResult(none)?.isError == true && driver.toolResult(none)?.text.contains("No Godot editor is connected") == true)
        let editor = editor(driver, "Game", "/game/")
        let failing = call(driver)
        guard let id = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        driver.editorAnswers(editor, id, error: "Node not found: /root/Missing")
        #expect(driver.toolResult(failing)?.isError == true && driver.toolResult(failing)?.text.contains("Node not found: /root/Missing") == true)
    }

    @Test func theFirstEditorGetsCommandsThenTheSecondOnceItLeaves() {
        let driver = driver()
        let first = editor(driver, "A", "/a/")
        let second = editor(driver, "B", "/b/")
        _ = call(driver)
        #expect(answerOnlyCommand(driver, first) != nil && driver.commands(to: second).isEmpty)
        driver.drop(first)
        _ = call(driver)
        #expect(answerOnlyCommand(driver, second) != nil)
    }

    @Test func aSilentEditorTimesOutWithItsLength() {
        let driver = driver { $0.commandTimeout = 2 }
        let editor = editor(driver, "Silent", "/silent/")
        let id = call(driver)
        #expect(driver.commands(to: editor).count == 1)
        driver.advance(by: 1.9)
        #expect(driver.toolResult(id) == nil)
        driver.advance(by: 0.2)
        #expect(driver.toolResult(id)?.text.contains("did not answer within 2 s") == true)
    }

    @Test func aCallMadeBeforeAnyEditorIsAnsweredWhenOneConnects() {
        let driver = driver { $0.startupGrace = 30 }
        let id = call(driver)
        #expect(driver.toolResult(id) == nil)
        driver.advance(by: 1)
        let editor = editor(driver, "Late", "/late/")
        #expect(answerOnlyCommand(driver, editor) != nil)
        #expect(driver.toolResult(id)?.isError == false)
    }

    @Test func afterTheGraceACallWaitsOnlyWhenItAsksAndEndsClearlyAtItsDeadline() {
        let driver = driver()
        let at_once = call(driver)
        #expect(driver.toolResult(at_once)?.isError == true)
        let waiting = call(driver, "get_scene_tree", ["wait_seconds": 2])
        driver.advance(by: 1.9)
        #expect(driver.toolResult(waiting) == nil)
        driver.advance(by: 0.2)
        #expect(driver.toolResult(waiting)?.isError == true && driver.toolResult(waiting)?.text.contains("2") == true)
    }

    @Test func theNumberOfWaitingCallsIsBounded() {
        let driver = driver { $0.maxWaitingCalls = 2 }
        let calls = (0..<3).map { _ in call(driver, "get_scene_tree", ["wait_seconds": 30]) }
        #expect(driver.toolResult(calls[0]) == nil && driver.toolResult(calls[1]) == nil)
        #expect(driver.toolResult(calls[2])?.isError == true)
    }

    @Test func aCancelledCallGetsNoAnswerAndItsEditorIsTold() {
        let driver = driver { $0.commandTimeout = 30 }
        let editor = editor(driver, "Game", "/game/")
        let id = call(driver)
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        driver.hostSends(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(Int64(id)), "reason": "Esc"]])
        #expect(driver.messages(to: editor).contains { $0["type"] == "cancel" && $0["id"]?.stringValue == commandId })
        driver.editorAnswers(editor, commandId)  // it had started: its late answer is dropped, quietly
        #expect(driver.hostResponse(id) == nil)
        #expect(driver.core.statistics.commandsCancelled == 1)
        // A cancel for an unknown or finished request is ignored.
        driver.hostSends(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 999]])
        #expect(driver.core.statistics.commandsCancelled == 1 && driver.hostResponse(id) == nil)
    }

    @Test func aCallCancelledBeforeItsEditorStartsItIsNeverSent() {
        let driver = driver {
            $0.editorConcurrency = 1
            $0.commandTimeout = 30
        }
        let editor = editor(driver, "Game", "/game/")
        let first = call(driver)
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        let second = call(driver, "create_node")
        #expect(driver.core.queuedCommandCount == 1)
        driver.hostSends(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(Int64(second))]])
        #expect(driver.core.queuedCommandCount == 0 && driver.core.statistics.commandsCancelled == 1)
        driver.editorAnswers(editor, commandId)
        #expect(driver.toolResult(first)?.isError == false)
        // Had the second been sent, it would be now, with the first answered.
        #expect(driver.messages(to: editor).isEmpty)
        #expect(driver.hostResponse(second) == nil)
    }

    @Test func aReconnectingEditorKeepsItsIdAndAnswersWhatWasInFlight() {
        let driver = driver()
        let editor = driver.connectEditor(identity: ["resumable": true])
        let token = driver.core.registry[editor]?.resumeToken ?? ""
        let id = call(driver)
        #expect(driver.commands(to: editor).count == 1)
        driver.drop(editor)
        let again = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3")) ?? ""
        driver.clientSends(again, ["type": "identify", "clientType": "godot", "resumeToken": .string(token), "resumable": true])
        let resent = driver.commands(to: editor)
        #expect(resent.count == 1)
        if let commandId = resent.first?["id"]?.stringValue { driver.editorAnswers(editor, commandId) }
        #expect(driver.toolResult(id)?.isError == false)
    }
}
