import FoundationEssentials
import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The MCP protocol a host uses beside plain calls, through the engine (was test_mcp_protocol.py, whose
/// abandoning-host case stays there: it checks what the official SDK sends): progress, structured
/// results, logging levels, and discovery followed by `initialize`.
@Suite struct MCPFaceThroughTheEngineTests {
    func driver(_ change: (inout GatewaySettings) -> Void = { _ in }) -> EngineDriver {
        .ready(initializesHost: false, change)
    }

    /// A 1 s command timeout; the editor works for 2.4 s, reporting progress every 0.6 s: the call
    /// succeeds, and the host sees the progress with its token, in order.
    @Test func progressReachesTheHostInOrderAndExtendsTheDeadline() {
        let driver = driver { $0.commandTimeout = 1 }
        driver.initializeHost()
        let editor = driver.connectAddonEditor()
        let call = driver.hostRequest("tools/call", ["name": "save_scene", "arguments": [:], "_meta": ["progressToken": "save-1"]])
        guard let id = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        for step in 1...4 {
            driver.advance(by: 0.6)
            #expect(driver.hostResponse(call) == nil, "ended before step \(step)")
            driver.clientSendsText(editor, #"{"type":"progress","id":"\#(id)","progress":\#(step),"total":4,"message":"step \#(step)"}"#)
        }
        driver.advance(by: 0.6)
        driver.clientSendsText(editor, #"{"id":"\#(id)","success":true,"result":{"saved":4},"error":null}"#)
        #expect(driver.toolResult(call)?.isError == false)
        #expect(driver.toolJSON(call) == ["saved": 4])
        let seen = driver.hostNotifications("notifications/progress").compactMap { $0["params"] }
        #expect(seen.allSatisfy { $0["progressToken"] == "save-1" && $0["total"]?.doubleValue == 4 })
        #expect(seen.compactMap { $0["progress"]?.doubleValue } == [1, 2, 3, 4])
        #expect(seen.last?["message"] == "step 4")
    }

    @Test func objectResultsAreAlsoStructuredContent() throws {
        let driver = driver()
        driver.initializeHost()
        let editor = driver.connectAddonEditor()
        let call = driver.callTool("get_node_properties", ["node_path": "/root/Main"])
        #expect(driver.echoCommands(editor).count == 1)
        let result = driver.hostResponse(call)?["result"]
        #expect(result?["isError"] == false)
        guard case .array(let content)? = result?["content"], let text = content.first?["text"]?.stringValue else {
            Issue.record("no text content"); return
        }
        let structured = try #require(result?["structuredContent"])
        #expect(structured == (try JSONValue.parse(Data(text.utf8))))
        #expect(structured["params"]?["node_path"] == "/root/Main")
    }

    @Test func gatewayEventsReachTheHostAtTheLevelItChose() {
        let driver = driver()
        driver.initializeHost()
        func logged() -> [(level: String, data: String)] {
            driver.hostNotifications("notifications/message").compactMap { message in
                guard let level = message["params"]?["level"]?.stringValue, let data = message["params"]?["data"] else { return nil }
                return (level, data.stringValue ?? data.jsonText)
            }
        }
        #expect(driver.hostResponse(driver.hostRequest("logging/setLevel", ["level": "info"]))?["error"] == nil)
        let editor = driver.connectAddonEditor()
        #expect(logged().contains { $0.data.contains("connected") })
        driver.clientCloses(editor, code: 1000)
        #expect(logged().contains { $0.data.contains("disconnected") })
        #expect(logged().map(\.level) == ["info", "warning"])
        #expect(driver.hostResponse(driver.hostRequest("logging/setLevel", ["level": "error"]))?["error"] == nil)
        let other = driver.connectAddonEditor()
        driver.clientCloses(other, code: 1000)
        #expect(logged().count == 2)  // nothing at info or warning now
    }

    /// The SDK's default client first asks `server/discover` at 2026-07-28; hosts mid-rollout send
    /// `initialize` after a successful probe: that still selects the handshake era on the same stdio.
    @Test func aHostThatProbesDiscoveryAndThenSendsInitializeGetsBothEras() {
        let driver = driver()
        let probe = driver.hostRequest("server/discover", ["_meta": [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
        ]])
        let answer = driver.hostResponse(probe)?["result"]
        #expect(answer?["resultType"] == "complete")
        guard case .array(let versions)? = answer?["supportedVersions"] else { Issue.record("no supportedVersions"); return }
        #expect(Array(versions.prefix(2)) == ["2026-07-28", "2025-11-25"])
        driver.initializeHost()
        #expect(driver.hostResponse(probe + 1)?["result"]?["protocolVersion"] == "2025-06-18")  // the initialize
        let call = driver.callTool("get_connection_stats")
        let result = driver.hostResponse(call)?["result"]
        #expect(result?["isError"] == false && result?["resultType"] == nil)
    }
}
