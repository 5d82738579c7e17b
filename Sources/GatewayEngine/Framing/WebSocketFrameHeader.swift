/// The header of a server's WebSocket frame (RFC 6455 §5.2): unmasked, a whole message (FIN set), RSV bits
/// clear — also what an uncompressed message looks like on a connection with permessage-deflate
/// (RFC 7692 §6). Used to frame several messages into one write (`Outbox.layOutFramedRun`).
package enum WebSocketFrameHeader {
    package static func size(ofPayload length: Int) -> Int {
        length < 126 ? 2 : (length <= 0xFFFF ? 4 : 10)
    }

    /// FIN and the text opcode, then the payload length in the shortest form the RFC allows.
    package static func appendText(length: Int, to bytes: inout [UInt8]) {
        bytes.append(0x81)
        if length < 126 {
            bytes.append(UInt8(length))
        } else if length <= 0xFFFF {
            bytes.append(126)
            bytes.append(UInt8(truncatingIfNeeded: length >> 8))
            bytes.append(UInt8(truncatingIfNeeded: length))
        } else {
            bytes.append(127)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift)))
            }
        }
    }
}
