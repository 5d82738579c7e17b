import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The tools that close the loop in the running game (issue 28), through the engine (was
/// test_runtime_tools.py's started-binary cases; its schema cases, pure Python, stay): listed with no
/// editor and hinted honestly, arguments checked, calls and progress carried to the editor, and the
/// changing ones refused to a read-only caller.
@Suite struct RuntimeToolsThroughTheEngineTests {
    static let ten = [
        "send_input", "get_game_tree", "get_game_node_properties", "set_game_node_property", "wait_for_game", "get_debugger_state",
        "continue_game", "get_performance", "instance_scene", "run_tests",
    ]
    /// What the tools may do: read the running game (or the debugger), or change something.
    static let readOnly: Set = ["get_game_tree", "get_game_node_properties", "wait_for_game", "get_debugger_state", "get_performance"]

    func driver() -> EngineDriver {
        .ready()
    }

    func tools(_ driver: EngineDriver) -> [String: JSONValue] {
        guard case .array(let tools)? = driver.hostResponse(driver.hostRequest("tools/list"))?["result"]?["tools"] else { return [:] }
        return Dictionary(tools.compactMap { tool in tool["name"]?.stringValue.map { ($0, tool) } }) { first, _ in first }
    }

    @Test func theTenToolsAreListedWithNoEditorAndHintedHonestly() {
        let driver = driver()
        // The default toolsets show instance_scene; the game's tools are in "runtime" and run_tests in
        // "tests", one call each away.
        #expect(Set(Self.ten).subtracting(tools(driver).keys) == Set(Self.ten).subtracting(["instance_scene"]))
        for toolset in ["runtime", "tests"] {
            #expect(driver.toolResult(driver.callTool("enable_toolset", ["toolset": .string(toolset)]))?.isError == false)
        }
        let listed = tools(driver)
        for name in Self.ten {
            let tool = listed[name]
            #expect(tool != nil, "\(name)")
            #expect(tool?["annotations"]?["readOnlyHint"] == .bool(Self.readOnly.contains(name)), "\(name)")
            // None of them destroys anything: runtime changes end with the game, instance_scene is undoable.
            #expect(tool?["annotations"]?["destructiveHint"] == false, "\(name)")
            #expect(tool?["inputSchema"]?["properties"]?["client"] != nil, "\(name)")
        }
    }

    @Test func sendInputReachesTheEditorAsGivenAndABadEventDoesNot() {
        let driver = driver()
        let editor = driver.connectAddonEditor()
        let events: JSONValue = [["type": "action", "action": "jump", "hold_frames": 10], ["type": "text", "text": "Bat"]]
        let delivered: JSONValue = [
            "delivered": [["frame": 0, "event": "InputEventAction: action=jump, pressed=true", "pressed": true]], "frames": 18, "msec": 300,
        ]
        let call = driver.callTool("send_input", ["events": events])
        let commands = driver.echoCommands(editor) { _ in delivered }
        #expect(commands.count == 1 && commands.first?["command"] == "send_input" && commands.first?["params"] == ["events": events])
        #expect(driver.toolJSON(call) == delivered)
        let bad = driver.callTool("send_input", ["events": [["type": "key", "key": "A", "script": "x"]]])
        #expect(driver.toolResult(bad)?.isError == true && driver.toolResult(bad)?.text.contains("unknown field 'script'") == true)
        #expect(driver.commands(to: editor).isEmpty)
    }

    @Test func runTestsProgressReachesTheHostAndThenTheResults() throws {
        let driver = driver()
        let editor = driver.connectAddonEditor()
        let results: JSONValue = [
            "framework": "gut", "exit_code": 1, "timed_out": false, "duration_ms": 3200, "report": "user://godot_mcp_tests/run_1/results.xml",
            "passed": 6, "failed": 1, "errored": 0, "skipped": 0, "total": 7,
            "failures": [[
                "suite": "test/unit/test_hero.gd", "test": "test_takes_damage", "outcome": "failed", "file": "res://test/unit/test_hero.gd",
                "line": 18, "message": "[4] expected to equal [5]",
            ]],
        ]
        let call = driver.hostRequest("tools/call", [
            "name": "run_tests", "arguments": ["path": "res://test/unit", "timeout_seconds": 120], "_meta": ["progressToken": 7],
        ])
        let id = try #require(driver.commands(to: editor).first?["id"]?.stringValue)
        for second in 1...3 {
            driver.advance(by: 0.3)
            driver.clientSends(editor, [
                "type": "progress", "id": .string(id), "progress": .int(Int64(second * 1000)), "total": 120000,
                "message": .string("running gut tests (\(second) s)"),
            ])
        }
        driver.editorAnswers(editor, id, result: results)
        #expect(driver.toolResult(call)?.isError == false)
        #expect(driver.toolJSON(call) == results)
        let seen = driver.hostNotifications("notifications/progress").compactMap { $0["params"] }
        #expect(seen.compactMap { $0["progress"]?.doubleValue } == [1000, 2000, 3000])
        #expect(seen.last?["message"] == "running gut tests (3 s)" && seen.allSatisfy { $0["progressToken"] == 7 })
        let outside = driver.callTool("run_tests", ["path": "/etc/passwd"])
        #expect(driver.toolResult(outside)?.isError == true && driver.toolResult(outside)?.text.contains("res://") == true)
        #expect(driver.commands(to: editor).isEmpty)
    }

    /// A service with `--tokens` (alice: full rights, bob: read-only); bob's host comes over the socket.
    @Test func aReadOnlyCallerMayWatchTheGameButNotChangeIt() {
        var security = SecuritySettings()
        security.token = "engine-shared-token-0123456789"
        security.namedTokens = [
            NamedToken(name: "alice", token: "alice-token-0123456789"), NamedToken(name: "bob", token: "bob-token-0123456789", readOnly: true),
        ]
        let driver = EngineDriver.ready(security: security, servesHostOnStdio: false)
        let editor = driver.connectAddonEditor(token: "alice-token-0123456789")
        let calls: [(String, JSONValue)] = [
            ("get_performance", ["samples": 2]), ("get_game_tree", [:]), ("send_input", ["events": [["type": "wait"]]]),
            ("set_game_node_property", ["node_path": "/root/Main", "property": "visible", "value": false]),
            ("continue_game", ["action": "stop"]), ("instance_scene", ["path": "res://bat.tscn"]), ("run_tests", [:]),
        ]
        var forwarded: [String] = []
        for (number, (tool, arguments)) in calls.enumerated() {
            // As test_service.py's mcp_over_socket: one connection per request, bob's token in the upgrade.
            let bob = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"], bearerToken: "bob-token-0123456789")) ?? ""
            driver.clientSends(bob, ["type": "identify", "clientType": "mcp", "clientVersion": "test"])
            let request: JSONValue = [
                "jsonrpc": "2.0", "id": .int(Int64(number + 1)), "method": "tools/call", "params": ["name": .string(tool), "arguments": arguments],
            ]
            driver.clientSends(bob, ["type": "mcp", "message": request])
            // A forwarded read is answered by the editor; then bob's answer is read.
            for command in driver.echoCommands(editor) { forwarded += command["command"]?.stringValue.map { [$0] } ?? [] }
            let answer = driver.messages(to: bob).last { $0["type"] == "mcp" && $0["message"]?["id"] == .int(Int64(number + 1)) }?["message"]
            let text = answer?["result"]?["content"].flatMap { if case .array(let content) = $0 { content.first?["text"]?.stringValue } else { nil } } ?? ""
            let refused = answer?["result"]?["isError"] == true && text.hasPrefix("bob may only use tools that read") && text.contains(tool)
            #expect(answer != nil && refused == !Self.readOnly.contains(tool), "\(tool): \(String(describing: answer))")
            driver.clientCloses(bob, code: 1000)
        }
        #expect(forwarded == ["get_performance", "get_game_tree"])
    }
}
