import Foundation
import Logging
import Testing
@testable import GatewayCore
@testable import GatewayMCP
import GatewaySystem

/// The dispatcher over a real core (no sockets): lines in, JSON-RPC lines out, commands as core effects.
@Suite struct MCPDispatcherTests {
    let core = DispatcherFixture.core()
    let output = DispatcherOutput()
    let dispatcher: MCPDispatcher

    init() {
        dispatcher = DispatcherFixture.dispatcher(over: core, writingTo: output)
    }

    private func send(_ text: String) -> JSONValue? {
        output.lines.removeAll()
        dispatcher.handle(.message(Array(text.utf8)))
        deliverReplies()
        #expect(output.lines.count <= 1)
        return output.lines.first
    }

    /// What the engine does after each event: the core's replies to this session's calls.
    private func deliverReplies() {
        for (address, reply) in core.takeReplies() {
            guard case .call(_, let key) = address, case .ended(let outcome) = reply else { continue }
            dispatcher.commandEnded(call: key, outcome)
        }
    }

    private func firstText(_ answer: JSONValue) -> String? {
        guard case .array(let content)? = answer["result"]?["content"] else { return nil }
        return content.first?["text"]?.stringValue
    }

    @Test func initializeNegotiatesTheProtocolVersion() {
        let known = send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#)
        #expect(known?["result"]?["protocolVersion"] == "2025-06-18")
        #expect(known?["result"]?["capabilities"]?["tools"] != nil)
        let unknown = send(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#)
        #expect(unknown?["result"]?["protocolVersion"] == .string(MCPDispatcher.supportedProtocolVersions[0]))
    }

    @Test func toolsListNamesEveryCatalogTool() {
        guard case .array(let tools)? = send(#"{"jsonrpc":"2.0","id":"a","method":"tools/list"}"#)?["result"]?["tools"] else {
            Issue.record("no tool list"); return
        }
        let expected = ToolCatalog.listed(ToolCatalog.all, toolsets: Toolsets.defaultSelection).map(\.name)
        #expect(tools.compactMap { $0["name"]?.stringValue } == expected)
        #expect(expected.contains("get_scene_tree") && expected.contains("list_toolsets") && !expected.contains("list_files"))
    }

    @Test func errorsFollowJSONRPC() {
        #expect(send("nonsense")?["error"]?["code"] == -32700)
        #expect(send("nonsense")?["id"] == .null)
        #expect(send(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)?["error"]?["code"] == -32600)
        #expect(send(#"{"jsonrpc":"2.0","id":5,"method":"prompts/list"}"#)?["error"]?["code"] == -32601)
        #expect(send(#"{"jsonrpc":"2.0","id":5,"method":"prompts/list"}"#)?["id"] == 5)
        #expect(send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
        #expect(send(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{}}"#)?["error"]?["code"] == -32602)
        let deep = #"{"jsonrpc":"2.0","id":9,"method":"ping","params":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(send(deep)?["id"] == 9)
        #expect(send(deep)?["error"]?["code"] == -32600)
    }

    @Test func anOversizeLineIsAnsweredWithTheIdFromItsHead() {
        output.lines.removeAll()
        dispatcher.handle(.oversize(head: Array(#"{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"#.utf8), length: 5_000_000))
        #expect(output.lines.first?["id"] == "big")
        #expect(output.lines.first?["error"]?["message"]?.stringValue?.contains("5000000 bytes") == true)
    }

    @Test func aToolCallIsRoutedAndAnsweredWhenTheEditorAnswers() throws {
        let editor = try #require(core.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3"))?.id)
        core.receive(editor, text: Array(#"{"type":"identify","clientType":"godot"}"#.utf8))
        _ = core.takeEffects()
        #expect(send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_scene_tree","arguments":{}}}"#) == nil)
        #expect(dispatcher.callsInProgress == 1)
        let command = core.takeEffects().compactMap { effect -> JSONValue? in
            guard case .send(_, let text) = effect else { return nil }
            return try? JSONValue.parse(Data(text.utf8))
        }.first
        let commandId = try #require(command?["id"]?.stringValue)
        #expect(command?["command"] == "get_scene_tree")
        core.receive(editor, text: Array(#"{"id":"\#(commandId)","success":true,"result":{"name":"Main"}}"#.utf8))
        deliverReplies()
        #expect(dispatcher.callsInProgress == 0)
        let answer = try #require(output.lines.first)
        #expect(answer["id"] == 3)
        #expect(answer["result"]?["isError"] == false)
        #expect(firstText(answer) == #"{"name":"Main"}"#)
    }

    @Test func aToolCallWithNoEditorIsAToolError() {
        let answer = send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_scene_tree"}}"#)
        #expect(answer?["result"]?["isError"] == true)
        #expect(answer.flatMap(firstText)?.contains("No Godot editor") == true)
    }
}
