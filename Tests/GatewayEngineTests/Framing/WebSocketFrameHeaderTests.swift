import Testing
@testable import GatewayEngine

/// The headers of frames the gateway frames itself (several messages in one write): RFC 6455 §5.2's
/// three length forms, at each boundary.
@Suite struct WebSocketFrameHeaderTests {
    @Test(arguments: [
        (0, [0x81, 0x00]),
        (125, [0x81, 125]),
        (126, [0x81, 126, 0x00, 126]),
        (65_535, [0x81, 126, 0xFF, 0xFF]),
        (65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
    ] as [(Int, [UInt8])])
    func lengthTakesTheShortestForm(length: Int, expected: [UInt8]) {
        var bytes: [UInt8] = []
        WebSocketFrameHeader.appendText(length: length, to: &bytes)
        #expect(bytes == expected)
        #expect(WebSocketFrameHeader.size(ofPayload: length) == expected.count)
    }
}
