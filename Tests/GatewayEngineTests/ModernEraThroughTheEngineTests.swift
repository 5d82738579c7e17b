import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// MCP 2026-07-28 in raw JSON-RPC through the engine (was test_mcp_2026.py's raw cases and
/// test_mcp_2026_relayed.py's `?type=mcp` client; what the official SDK does stays there): version
/// errors, a request with neither `_meta` nor `initialize`, listen streams ended gracefully at a stop, and
/// a WebSocket MCP client speaking the modern era itself.
@Suite struct ModernEraThroughTheEngineTests {
    static let modern = "2026-07-28"
    static let meta: JSONValue = ["io.modelcontextprotocol/protocolVersion": .string(modern), "io.modelcontextprotocol/clientCapabilities": [:]]

    func meta(version: String) -> JSONValue {
        var meta = Self.meta.objectValue ?? [:]
        meta["io.modelcontextprotocol/protocolVersion"] = .string(version)
        return .object(meta)
    }

    func names(_ result: JSONValue?) -> Set<String> {
        guard case .array(let tools)? = result?["tools"] else { return [] }
        return Set(tools.compactMap { $0["name"]?.stringValue })
    }

    @Test func rawVersionErrorsAndAHandshakeRequestWithoutInitialize() {
        let driver = EngineDriver()
        let unknown = driver.hostRequest("tools/list", ["_meta": meta(version: "1900-01-01")])
        let error = driver.hostResponse(unknown)?["error"]
        #expect(error?["code"] == -32022)
        #expect(error?["data"] == [
            "supported": [.string(Self.modern), "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"], "requested": "1900-01-01",
        ])
        let noCapabilities = driver.hostRequest("tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": .string(Self.modern)]])
        let invalid = driver.hostResponse(noCapabilities)?["error"]
        #expect(invalid?["code"] == -32602 && invalid?["message"]?.stringValue?.contains("clientCapabilities") == true)
        let ping = driver.hostRequest("ping", ["_meta": Self.meta])
        #expect(driver.hostResponse(ping)?["error"]?["code"] == -32601)  // ping is gone in 2026-07-28
        // No _meta and no initialize: served as the handshake era (as the spec allows), without modern fields.
        let plain = driver.hostResponse(driver.hostRequest("tools/list"))?["result"]
        #expect(plain?["resultType"] == nil && names(plain).contains("get_scene_tree"))
        let modern = driver.hostResponse(driver.hostRequest("tools/list", ["_meta": Self.meta]))?["result"]
        #expect(modern?["resultType"] == "complete" && modern?["cacheScope"] == "private" && modern?["ttlMs"] == 0)
    }

    /// A stop (SIGTERM in the binary) answers the open `subscriptions/listen` request: the graceful end the
    /// spec describes, so the host's stream ends instead of being reported lost.
    @Test func aGatewayThatStopsEndsListenStreamsGracefully() {
        let driver = EngineDriver()
        let listen = driver.hostRequest("subscriptions/listen", ["_meta": Self.meta, "notifications": ["toolsListChanged": true]])
        let acks = driver.hostNotifications("notifications/subscriptions/acknowledged")
        #expect(acks.count == 1 && acks.first?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == .int(Int64(listen)))
        #expect(driver.hostResponse(listen) == nil)
        driver.feed(.stopRequested(reason: "SIGTERM"))
        #expect(driver.hostResponse(listen)?["result"] == [
            "resultType": "complete", "_meta": ["io.modelcontextprotocol/subscriptionId": .int(Int64(listen))],
        ])
    }

    @Test func aWebSocketMCPClientSpeaksTheModernEra() {
        let driver = EngineDriver.ready(servesHostOnStdio: false)
        let client = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"])) ?? ""
        #expect(driver.messages(to: client).first?["type"] == "handshake")
        driver.clientSends(client, ["type": "identify", "clientType": "mcp", "clientVersion": "test"])
        func ask(_ id: Int64, _ method: String, _ params: [String: JSONValue] = [:]) -> [JSONValue] {
            var params = params
            if params["_meta"] == nil { params["_meta"] = Self.meta }
            driver.clientSends(client, ["type": "mcp", "message": ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": .object(params)]])
            return mcpMessages()
        }
        func mcpMessages() -> [JSONValue] { driver.messages(to: client).filter { $0["type"] == "mcp" }.compactMap { $0["message"] } }

        let discover = ask(1, "server/discover").first?["result"]
        guard case .array(let versions)? = discover?["supportedVersions"] else { Issue.record("no supportedVersions"); return }
        #expect(versions.first == .string(Self.modern) && discover?["resultType"] == "complete")
        let ack = ask(2, "subscriptions/listen", ["notifications": ["resourcesListChanged": true]]).first
        #expect(ack?["method"] == "notifications/subscriptions/acknowledged")
        #expect(ack?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 2)
        _ = driver.connectAddonEditor()
        driver.advance(by: 0.25)  // changes of the editors are announced after a short debounce
        let change = mcpMessages().first
        #expect(change?["method"] == "notifications/resources/list_changed")
        #expect(change?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 2)
        let error = ask(3, "tools/list", ["_meta": meta(version: "2099-01-01")]).first?["error"]
        #expect(error?["code"] == -32022 && error?["data"]?["requested"] == "2099-01-01")
    }
}
