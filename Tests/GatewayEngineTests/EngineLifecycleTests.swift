import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The engine's own duties beside routing: admission and HTTP answers, heartbeats through the timer,
/// the end of the host's input, relayed sessions and audit actions.
@Suite struct EngineLifecycleTests {
    @Test func httpAnswersComeAsActionsAndRefusalsAreMarked() {
        var security = SecuritySettings()
        security.token = "engine-token-0123456789"
        let driver = EngineDriver(security: security)
        var answers: [HTTPAnswer] = []
        for path in ["/health", "/nowhere", "/metrics", "/"] {
            for case .httpResponse(let answer) in driver.feed(.httpRequest(
                ConnectionRequest(remoteAddress: "127.0.0.1"), path: path, isPost: false, overTLS: false)) { answers.append(answer) }
        }
        #expect(answers.map(\.status) == [200, 404, 401, 200])
        #expect(answers[2].isRefusal && !answers[0].isRefusal)
        #expect(String(decoding: answers[3].body, as: UTF8.self).contains(#"id="token""#))  // the sign-in form
        let foreign = driver.feed(.requestArrived(ConnectionRequest(remoteAddress: "127.0.0.1", origins: ["https://evil.test"]), upgrade: true))
        guard case .admitted(.deny(403, _))? = foreign.first else { Issue.record("a foreign origin was admitted"); return }
        for case .httpResponse(let answer) in driver.feed(.httpRequest(
            ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: "engine-token-0123456789"), path: "/session", isPost: true, overTLS: true)) {
            #expect(answer.headers.contains { $0.name == "set-cookie:" && $0.value.hasSuffix("; Secure") })
        }
        #expect(driver.auditRecords.contains { $0["event"] == "dashboard_sign_in" })
    }

    @Test func heartbeatsRunOnTheTimerTheEngineAsksFor() {
        var settings = GatewaySettings()
        settings.heartbeatInterval = 5
        settings.heartbeatTimeout = 12
        let driver = EngineDriver(settings: settings)
        let editor = driver.connectEditor()
        _ = driver.messages(to: editor)
        #expect(driver.wakeAt.isFinite)
        driver.advance(by: 5.1)
        #expect(driver.messages(to: editor).contains { $0["type"] == "heartbeat" })
        driver.advance(by: 10)  // silent past the timeout
        #expect(driver.closes[editor] != nil)
        #expect(driver.core.registry[editor] == nil)
    }

    @Test func theHostLeavingEndsTheGatewayOnceItsCallsAreAnswered() {
        let driver = EngineDriver.ready { $0.shutdownGrace = 1 }
        let editor = driver.connectEditor()
        let id = driver.hostRequest("tools/call", ["name": "get_scene_tree", "arguments": [:]])
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("no command"); return }
        driver.feed(.hostInputEnded)
        #expect(driver.core.phase == .running)  // a call is still open
        driver.editorAnswers(editor, commandId)
        #expect(driver.toolResult(id)?.isError == false)
        #expect(driver.core.phase != .running)
        #expect(driver.messages(to: editor).contains { $0["command"] == "shutdown" })
        driver.advance(by: 2)
        #expect(driver.closing)
    }

    @Test func aRelayedHostGetsItsOwnSessionOverItsConnection() {
        let driver = EngineDriver.ready(servesHostOnStdio: false)
        let editor = driver.connectEditor()
        let relay = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"])) ?? ""
        _ = driver.messages(to: relay)
        let call: JSONValue = ["jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": ["name": "get_scene_tree", "arguments": [:]]]
        let actions = driver.feed(.textMessage(client: driver.handle(of: relay), bytes: Array(JSONValue.object(["type": "mcp", "message": call]).jsonText.utf8)))
        #expect(actions.contains(.allowLargeMessages(client: driver.handle(of: relay))))
        guard let commandId = driver.commands(to: editor).first?["id"]?.stringValue else { Issue.record("not routed"); return }
        driver.editorAnswers(editor, commandId, result: ["tree": "Main"])
        let answer = driver.messages(to: relay).first { $0["type"] == "mcp" }?["message"]
        #expect(answer?["id"] == 7 && answer?["result"]?["isError"] == false)
        #expect(driver.hostOutput.isEmpty)  // nothing reaches stdio, which this engine does not serve
        #expect(driver.auditRecords.contains { $0["event"] == "tool_call" && $0["outcome"] == "success" })
    }
}
