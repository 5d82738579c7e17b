import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Lines from the MCP host that cannot be handled get a clear JSON-RPC error and lose nothing after them,
/// through the engine (was test_stdio.py's not-JSON and oversize cases; reading a real pipe, a 16 MiB
/// request through the socket layer's queues, greeting the first connections and a host that closes
/// stdout stay there).
@Suite struct HostLinesThroughTheEngineTests {
    @Test func aLineThatIsNotJSONIsAnsweredWithIdNull() {
        let driver = EngineDriver()
        driver.initializeHost()
        driver.feed(.hostBytes(Array("this is not json\n".utf8)))
        let answer = driver.hostOutput.last { $0["id"] == .null && $0["error"] != nil }
        #expect(answer?["error"]?["code"] == -32700)
        let ping = driver.hostRequest("ping")
        #expect(driver.hostResponse(ping)?["result"] == [:])
    }

    @Test func anOversizeRequestIsAnsweredWithItsIdAndTheNextOneStillWorks() {
        let driver = EngineDriver(hostLineLimit: 65536)
        driver.initializeHost()
        driver.hostSends([
            "jsonrpc": "2.0", "id": 77, "method": "tools/call",
            "params": ["name": "edit_script", "arguments": ["path": "res://a.gd", "content": .string(String(repeating: "x", count: 400_000))]],
        ])
        let error = driver.hostResponse(77)?["error"]
        #expect(error?["code"] == -32600 && error?["message"]?.stringValue?.contains("exceeds the gateway's limit") == true)
        let ping = driver.hostRequest("ping")
        #expect(driver.hostResponse(ping)?["result"] == [:])
        #expect(driver.hostOutput.filter { $0["id"] == 77 }.count == 1)
    }
}
