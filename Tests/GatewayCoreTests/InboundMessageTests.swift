import Foundation
import Testing
@testable import GatewayCore

@Suite struct InboundMessageTests {
    private func decode(_ text: String) -> Result<InboundMessage, InboundMessageError> {
        InboundMessage.decode(Array(text.utf8))
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
        #expect(result == .success(.commandResponse(.init(id: "c1", success: false, result: nil, error: "Node not found: /root/X"))))
    }

    @Test func aResultIsPassedOnAsTheEditorWroteIt() {
        let text = #"{ "z": [1, 2.50, "\u00e9"], "a" : {"nested": {"result": true}} }"#
        guard case .success(.commandResponse(let response)) = decode(#"{"id":"c1","success":true,"result":"# + text + "}") else {
            Issue.record("refused")
            return
        }
        #expect(response.result.text == text)
        #expect(response.result.value == ["z": [1, 2.5, "é"], "a": ["nested": ["result": true]]])
    }

    @Test(arguments: [
        #"{"a":}"#, #"[1,]"#, #"{"a" 1}"#, #"[1 2]"#, #""\q""#, #""\ud800""#, #""\udc00x""#, #""\u12""#, "\"tab\there\"",
        "01", "1.", "-", "1e", "tru", "nul", #""unterminated"#, "[", "{",
    ])
    func aKeptResultIsStillCheckedInFull(result: String) {
        guard case .failure(let error) = decode(#"{"id":"c1","success":true,"result":"# + result + "}") else {
            Issue.record("accepted result \(result)")
            return
        }
        #expect(error.code == .malformedJSON)
    }

    @Test func aKeptResultMustBeUTF8() {
        var bytes = Array(#"{"id":"c1","success":true,"result":""#.utf8)
        bytes += [0xC3, 0x28] + Array(#""}"#.utf8)
        guard case .failure(let error) = InboundMessage.decode(Array(bytes)) else { Issue.record("accepted"); return }
        #expect(error.code == .malformedJSON)
    }

    @Test func aKeptResultIsBoundedInDepthToo() throws {
        let deep = String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100)
        #expect(throws: JSONParser.Failure.self) {
            _ = try JSONParser.parse(Array(#"{"result":"#.utf8) + Array(deep.utf8) + [UInt8(ascii: "}")], keepingTextOf: "result")
        }
        let (_, kept) = try JSONParser.parse(Array(#"{"result":[[1]]}"#.utf8), keepingTextOf: "result")
        #expect(kept?.text == "[[1]]")
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
