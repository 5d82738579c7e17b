import Foundation
import Testing
@testable import Gateway

@Suite struct InboundMessageTests {
    private func decode(_ text: String) -> Result<InboundMessage, InboundMessageError> {
        InboundMessage.decode(Data(text.utf8))
    }

    @Test func malformedJSONIsReported() {
        guard case .failure(let error) = decode(#"{"type": "identify""#) else { Issue.record("accepted"); return }
        #expect(error.code == .malformedJSON)
    }

    @Test func nonObjectsAreRefused() {
        guard case .failure(let error) = decode("[1,2]") else { Issue.record("accepted"); return }
        #expect(error.code == .invalidMessage)
    }

    @Test func unknownTypesAreNamed() {
        guard case .failure(let error) = decode(#"{"type":"teleport"}"#) else { Issue.record("accepted"); return }
        #expect(error.code == .unknownType)
        #expect(error.description.contains("teleport"))
    }

    @Test func theOriginalAddonsResponseShapeIsAccepted() {
        let result = decode(#"{"id":"c1","success":true,"result":{"nodes":[1,2.5,"x",null]},"error":null,"timestamp":1700000000.25}"#)
        #expect(result == .success(.commandResponse(.init(id: "c1", success: true, result: ["nodes": [1, 2.5, "x", nil]], error: nil))))
    }

    @Test func failedResponsesCarryTheEditorsText() {
        let result = decode(#"{"id":"c1","success":false,"result":null,"error":"Node not found: /root/X"}"#)
        #expect(result == .success(.commandResponse(.init(id: "c1", success: false, result: .null, error: "Node not found: /root/X"))))
    }

    @Test func responsesNeedAStringId() {
        guard case .failure = decode(#"{"id":7,"success":true}"#) else { Issue.record("accepted"); return }
    }

    @Test func shutdownAckInBothShapes() {
        #expect(decode(#"{"command":"shutdown_ack","timestamp":1.5,"client_id":"godot_mcp_client"}"#) == .success(.shutdownAck))
        #expect(decode(#"{"type":"shutdown_ack"}"#) == .success(.shutdownAck))
    }

    @Test func clientsCannotSendCommands() {
        guard case .failure(let error) = decode(#"{"command":"get_scene_tree","id":"x"}"#) else { Issue.record("accepted"); return }
        #expect(error.code == .invalidMessage)
    }

    @Test func identifyKeepsExtraFields() {
        let result = decode(#"{"type":"identify","clientType":"godot","capabilities":{"commands":["a"]}}"#)
        guard case .success(.identify(let identification)) = result else { Issue.record("not identify"); return }
        #expect(identification.details["capabilities"] == ["commands": ["a"]])
        #expect(identification.clientVersion == nil)
    }
}
