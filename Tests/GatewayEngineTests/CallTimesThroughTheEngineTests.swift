import Testing
@testable import GatewayCore
@testable import GatewayEngine
@testable import GatewayMCP

/// A call's start time is read only for what uses it (the audit record, a modern request's log messages);
/// where it is used, it is the time the call was made.
@Suite struct CallTimesThroughTheEngineTests {
    @Test func theAuditRecordTimesTheCallFromItsRequestToItsAnswer() {
        let driver = EngineDriver.ready()
        let editor = driver.connectEditor()
        _ = driver.messages(to: editor)
        let id = driver.callTool("get_scene_tree")
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("not routed"); return }
        driver.advance(by: 0.25)
        driver.editorAnswers(editor, commandId, result: ["tree": "Main"])
        #expect(driver.toolResult(id)?.isError == false)
        let record = driver.auditRecords.last { $0["event"] == "tool_call" }
        guard case .double(let milliseconds)? = record?["durationMs"] else { Issue.record("no duration: \(String(describing: record))"); return }
        #expect(abs(milliseconds - 250) < 1)
    }

    @Test func aModernRequestsLogMessageTimesTheCallWithoutAnAuditLog() {
        var settings = GatewaySettings()
        settings.startupGrace = 0
        let driver = EngineDriver(settings: settings, auditing: false)
        let editor = driver.connectEditor()
        _ = driver.messages(to: editor)
        let meta: JSONValue = [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/logLevel": "info",
        ]
        let id = driver.hostRequest("tools/call", ["name": "get_scene_tree", "arguments": [:], "_meta": meta])
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("not routed"); return }
        driver.advance(by: 0.4)
        driver.editorAnswers(editor, commandId, result: ["tree": "Main"])
        #expect(driver.hostResponse(id)?["result"]?["isError"] == false)
        let logged = driver.hostNotifications("notifications/message").compactMap { $0["params"]?["data"]?.stringValue }
        #expect(logged.contains { $0.hasPrefix("get_scene_tree answered by Godot editor") && $0.hasSuffix(" in 400 ms.") }, "\(logged)")
        #expect(driver.auditRecords.isEmpty)
    }
}
