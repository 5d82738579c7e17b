import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Scene locks between two MCP sessions — the host on stdio and a host relayed over a `?type=mcp`
/// connection — through the engine (was test_collaboration.py's started-binary lock test).
@Suite struct LocksThroughTheEngineTests {
    /// A relayed host's session: its tools/call over its connection, and the result.
    struct Relayed {
        let driver: EngineDriver
        let clientId: String
        var nextId = 100

        mutating func call(_ tool: String, _ arguments: JSONValue = [:]) -> (text: String, isError: Bool)? {
            nextId += 1
            let request: JSONValue = [
                "jsonrpc": "2.0", "id": .int(Int64(nextId)), "method": "tools/call", "params": ["name": .string(tool), "arguments": arguments],
            ]
            driver.clientSends(clientId, ["type": "mcp", "message": request])
            let id = nextId
            return driver.messages(to: clientId).compactMap { message -> (String, Bool)? in
                guard message["type"] == "mcp", let answer = message["message"], answer["id"] == .int(Int64(id)),
                      case .array(let content)? = answer["result"]?["content"], let text = content.first?["text"]?.stringValue else { return nil }
                return (text, answer["result"]?["isError"]?.boolValue ?? false)
            }.last
        }
    }

    @Test func aLockedSceneRefusesOtherSessionsEditsUntilUnlockedOrItsHolderLeaves() {
        let driver = EngineDriver.ready()
        let editor = driver.connectEditor(commands: ["get_scene_tree", "create_node"], readOnly: ["get_scene_tree"])
        driver.clientSends(editor, ["type": "event", "event": "scene_changed", "data": ["scene": "res://level.tscn"]])
        // The editor answers every command it is sent.
        func answerAll() {
            for command in driver.commands(to: editor) {
                if let id = command["id"]?.stringValue { driver.editorAnswers(editor, id) }
            }
        }
        func hostCall(_ tool: String, _ arguments: JSONValue = [:]) -> (text: String, isError: Bool)? {
            let id = driver.hostRequest("tools/call", ["name": .string(tool), "arguments": arguments])
            answerAll()
            return driver.toolResult(id)
        }
        #expect(hostCall("lock_scene", ["scene": "res://level.tscn"])?.isError == false)
        let relayId = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"])) ?? ""
        var second = Relayed(driver: driver, clientId: relayId)
        _ = driver.messages(to: relayId)
        let refused = second.call("create_node", ["node_type": "Node2D", "node_name": "Enemy"])
        #expect(refused?.isError == true && refused?.text.contains("res://level.tscn is locked by") == true)
        #expect(driver.commands(to: editor).isEmpty)
        _ = second.call("get_scene_tree")  // reading is fine
        #expect(driver.commands(to: editor).count == 1)
        #expect(second.call("lock_scene", ["scene": "res://level.tscn"])?.text.contains("locked by") == true)
        #expect(hostCall("create_node", ["node_type": "Node2D", "node_name": "Mine"])?.isError == false)  // its own lock
        #expect(hostCall("unlock_scene", ["scene": "res://level.tscn"])?.isError == false)
        #expect(second.call("lock_scene", ["scene": "res://level.tscn"])?.isError == false)
        #expect(hostCall("lock_scene", ["scene": "res://level.tscn"])?.isError == true)
        // The relayed host leaves: its lock goes with it.
        driver.drop(relayId)
        #expect(hostCall("lock_scene", ["scene": "res://level.tscn"])?.isError == false)
    }
}
