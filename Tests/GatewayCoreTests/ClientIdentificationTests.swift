import Testing
@testable import GatewayCore

@Suite struct ClientIdentificationTests {
    @Test func godotUserAgentMakesAGodotClient() {
        #expect(ClientIdentification.initialType(for: .init(remoteAddress: "a", userAgent: "Godot/4.3.stable (Linux)")) == .godot)
    }

    @Test func queryTypeWinsOverUserAgent() {
        let request = ConnectionRequest(remoteAddress: "a", userAgent: "Godot/4.3", queryParameters: ["type": "mcp"])
        #expect(ClientIdentification.initialType(for: request) == .mcp)
        #expect(ClientIdentification.initialType(for: .init(remoteAddress: "a", queryParameters: ["type": "godot"])) == .godot)
    }

    @Test func anythingElseIsUnknown() {
        #expect(ClientIdentification.initialType(for: .init(remoteAddress: "a", userAgent: "Python/3.11 websockets/17")) == .unknown)
        #expect(ClientIdentification.initialType(for: .init(remoteAddress: "a", queryParameters: ["type": "robot"])) == .unknown)
    }

    @Test func identifyMarksTheClientReadyWithItsIdentity() {
        let harness = CoreHarness()
        let id = harness.connect()
        #expect(harness.core.registry[id]?.ready == false)
        harness.send(id, #"{"type":"identify","clientType":"godot","clientVersion":"1.0.1","godotVersion":"4.3","projectName":"Demo"}"#)
        let record = harness.core.registry[id]
        #expect(record?.type == .godot)
        #expect(record?.ready == true)
        #expect(record?.godotVersion == "4.3")
        #expect(record?.details["projectName"] == "Demo")
    }

    @Test func unknownClientTypeIsRefusedWithAnError() {
        let harness = CoreHarness()
        let id = harness.connect()
        _ = harness.sent(to: id)
        harness.send(id, #"{"type":"identify","clientType":"toaster"}"#)
        let replies = harness.sent(to: id)
        #expect(replies.count == 1)
        #expect(replies.first?["type"] == "error")
        #expect(replies.first?["error"]?.stringValue?.contains("toaster") == true)
        #expect(harness.core.registry[id]?.ready == false)
        #expect(harness.core.registry[id]?.type == .unknown)
    }
}
