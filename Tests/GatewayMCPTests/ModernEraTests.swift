import Foundation
import Logging
import Testing
@testable import GatewayCore
@testable import GatewayMCP
import GatewaySystem

/// MCP 2026-07-28 beside the handshake era, in process: each request judged by its own `_meta`.
@Suite struct ModernEraTests {
    let core = DispatcherFixture.core()
    let output = DispatcherOutput()
    let dispatcher: MCPDispatcher

    init() {
        dispatcher = DispatcherFixture.dispatcher(over: core, writingTo: output)
    }

    static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    private func send(_ text: String) -> [JSONValue] {
        output.lines.removeAll()
        dispatcher.handle(.message(Array(text.utf8)))
        return output.lines
    }

    private func modern(_ id: Int, _ method: String, _ params: String = "") -> JSONValue? {
        let extra = params.isEmpty ? "" : "," + params
        return send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{\#(Self.meta)\#(extra)}}"#).last
    }

    @Test func judgementReadsOnlyTheRequestsOwnMeta() {
        #expect(RequestJudgement.judge([:]) == .handshake)
        #expect(RequestJudgement.judge(["_meta": ["progressToken": 1]]) == .handshake)
        let modern = RequestJudgement.judge(["_meta": [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/logLevel": "info", "io.modelcontextprotocol/clientInfo": ["name": "host", "version": "1"],
        ]])
        #expect(modern == .modern(ModernRequest(version: "2026-07-28", logLevel: .info, client: "host 1")))
        guard case .refused(let code, _, let data) = RequestJudgement.judge(["_meta": ["io.modelcontextprotocol/protocolVersion": "1900-01-01"]])
        else { Issue.record("unknown version accepted"); return }
        #expect(code == -32022)
        #expect(data?["requested"] == "1900-01-01")
        #expect(data?["supported"] == .array(ProtocolEra.supportedVersions.map(JSONValue.string)))
        // A handshake version named per request is not a modern version either.
        guard case .refused(-32022, _, _) = RequestJudgement.judge(["_meta": ["io.modelcontextprotocol/protocolVersion": "2025-11-25"]])
        else { Issue.record("handshake version accepted per request"); return }
        guard case .refused(-32602, _, _) = RequestJudgement.judge(["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]])
        else { Issue.record("missing clientCapabilities accepted"); return }
        guard case .refused(-32602, _, _) = RequestJudgement.judge(["_meta": [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/logLevel": "loud",
        ]]) else { Issue.record("unknown log level accepted"); return }
    }

    @Test func discoverNamesBothErasAndCacheHints() {
        let result = modern(1, "server/discover")?["result"]
        #expect(result?["resultType"] == "complete")
        #expect(result?["supportedVersions"] == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(result?["capabilities"]?["tools"]?["listChanged"] == true)
        #expect(result?["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "godot-mcp-gateway")
        #expect(result?["ttlMs"]?.intValue ?? -1 >= 0)
        #expect(result?["cacheScope"] == "public")
        #expect(result?["instructions"]?.stringValue?.isEmpty == false)
    }

    @Test func modernResultsCarryResultTypeAndCacheHints() {
        let list = modern(2, "tools/list")?["result"]
        #expect(list?["resultType"] == "complete")
        #expect(list?["ttlMs"] == 0 && list?["cacheScope"] == "private")
        #expect(list?["tools"]?.arrayCount == ToolCatalog.listed(ToolCatalog.all, toolsets: Toolsets.defaultSelection).count)
        let resources = modern(3, "resources/list")?["result"]
        #expect(resources?["resultType"] == "complete" && resources?["ttlMs"] != nil && resources?["resources"] != nil)
        let read = modern(4, "resources/read", #""uri":"godot://clients""#)?["result"]
        #expect(read?["resultType"] == "complete" && read?["cacheScope"] == "private")
        // Not found moved to invalid params in 2026-07-28; the handshake era keeps -32002.
        #expect(modern(5, "resources/read", #""uri":"godot://nothing""#)?["error"]?["code"] == -32602)
        #expect(send(#"{"jsonrpc":"2.0","id":6,"method":"resources/read","params":{"uri":"godot://nothing"}}"#).last?["error"]?["code"] == -32002)
        let call = modern(7, "tools/call", #""name":"get_connection_stats","arguments":{}"#)?["result"]
        #expect(call?["resultType"] == "complete" && call?["isError"] == false)
    }

    @Test func methodsTheModernEraDroppedAreNotFound() {
        for method in ["ping", "logging/setLevel", "resources/subscribe", "initialize"] {
            #expect(modern(8, method)?["error"]?["code"] == -32601, "\(method)")
        }
    }

    @Test func theHandshakeEraIsUnchangedBesideIt() {
        let list = send(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#).last?["result"]
        #expect(list?["resultType"] == nil && list?["ttlMs"] == nil && list?["tools"] != nil)
        #expect(send(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#).last?["result"] == [:])
    }

    @Test func listenAcknowledgesAndTagsChanges() {
        let ack = send(#"{"jsonrpc":"2.0","id":"s1","method":"subscriptions/listen","params":{\#(Self.meta),"notifications":{"toolsListChanged":true,"promptsListChanged":true}}}"#)
        #expect(ack.count == 1)
        #expect(ack.first?["method"] == "notifications/subscriptions/acknowledged")
        #expect(ack.first?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "s1")
        #expect(ack.first?["params"]?["notifications"] == ["toolsListChanged": true])  // no prompts here
        // Enabling a toolset changes this session's list: told on the stream, nothing else unasked.
        let lines = send(#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{\#(Self.meta),"name":"enable_toolset","arguments":{"toolset":"files"}}}"#)
        let change = lines.first { $0["method"] == "notifications/tools/list_changed" }
        #expect(change?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "s1")
        #expect(lines.count == 2)
        // Cancelled: the stream ends without a word, and changes are no longer told.
        #expect(send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"s1"}}"#).isEmpty)
        let after = send(#"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{\#(Self.meta),"name":"disable_toolset","arguments":{"toolset":"files"}}}"#)
        #expect(after.count == 1 && after.first?["id"] == 10)
    }

    @Test func stoppingAnswersEveryOpenListenRequest() {
        _ = send(#"{"jsonrpc":"2.0","id":7,"method":"subscriptions/listen","params":{\#(Self.meta),"notifications":{}}}"#)
        output.lines.removeAll()
        dispatcher.closeListens()
        #expect(output.lines == [["jsonrpc": "2.0", "id": 7, "result": [
            "resultType": "complete", "_meta": ["io.modelcontextprotocol/subscriptionId": 7]]]])
        output.lines.removeAll()
        dispatcher.closeListens()
        #expect(output.lines.isEmpty)
    }

    @Test func aHandshakeHostHearsListChangesOnlyOnceInitialized() {
        let before = send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"enable_toolset","arguments":{"toolset":"files"}}}"#)
        #expect(before.count == 1)
        _ = send(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#)
        let after = send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"enable_toolset","arguments":{"toolset":"signals"}}}"#)
        #expect(after.contains { $0["method"] == "notifications/tools/list_changed" && $0["params"]?["_meta"] == nil })
    }

    @Test func gatewayLogsReachOnlyRequestsThatAskedForThem() {
        dispatcher.log(.error, "nobody asked")
        #expect(output.lines.isEmpty)
        dispatcher.inProgress[.number(1)] = MCPDispatcher.Call(id: "1", commandId: "", tool: "t", arguments: CommandParameters([:]), started: 0, logLevel: .warning)
        output.lines.removeAll()
        dispatcher.log(.info, "below the level asked for")
        dispatcher.log(.error, "asked for")
        #expect(output.lines.count == 1 && output.lines.first?["params"]?["data"] == "asked for")
    }
}

extension JSONValue {
    fileprivate var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}
