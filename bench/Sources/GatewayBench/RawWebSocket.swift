import Foundation

/// A minimal blocking WebSocket client over a plain TCP socket: enough of RFC 6455 for a benchmark
/// (masked text frames out; text, continuation, ping and close frames in), with no framework between
/// the measurement and the socket.
final class RawWebSocket {
    enum Failure: Error { case connect(String), handshake(String), closed }

    private let fd: Int32
    private var buffer = [UInt8]()
    private var start = 0
    /// Set when permessage-deflate was negotiated.
    private var deflate: MessageDeflate?
    /// Set for the control run: compresses each message as a deflating editor would, then sends it plain.
    private var discardedDeflate: MessageDeflate?

    init(port: Int, path: String = "/", headers: [String] = [], offerDeflate: Bool = false,
         compressAndSendPlain: Bool = false) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.connect("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw Failure.connect(String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let request = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"] + headers
                       + (offerDeflate ? ["Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover"] : [])
                       + ["", ""])
            .joined(separator: "\r\n")
        try writeAll(Array(request.utf8))
        let head = try readHead()
        guard head.hasPrefix("HTTP/1.1 101") else { throw Failure.handshake(head.split(separator: "\r\n").first.map(String.init) ?? head) }
        let accepted = head.lowercased().contains("sec-websocket-extensions: permessage-deflate")
        // A run that asked for compression must not quietly measure without it.
        if offerDeflate && !accepted { throw Failure.handshake("the server declined permessage-deflate") }
        deflate = accepted ? try MessageDeflate() : nil
        discardedDeflate = compressAndSendPlain ? try MessageDeflate() : nil
    }

    deinit { close(fd) }

    func closeSocket() { shutdown(fd, Int32(SHUT_RDWR)) }

    func sendText(_ payload: [UInt8]) throws {
        if let deflate {
            try sendFrame(opcode: 0x1, try deflate.compress(payload), compressed: true)
        } else {
            if let discardedDeflate { _ = try discardedDeflate.compress(payload) }
            try sendFrame(opcode: 0x1, payload)
        }
    }

    private func sendFrame(opcode: UInt8, _ payload: [UInt8], compressed: Bool = false) throws {
        var frame: [UInt8] = [0x80 | (compressed ? 0x40 : 0) | opcode]
        let count = payload.count
        if count < 126 {
            frame.append(0x80 | UInt8(count))
        } else if count < 65536 {
            frame += [0x80 | 126, UInt8(count >> 8), UInt8(count & 0xff)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((UInt64(count) >> UInt64(shift)) & 0xff)) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame.reserveCapacity(frame.count + count)
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index & 3]) }
        try writeAll(frame)
    }

    /// The next complete text or binary message; answers pings on the way.
    func receiveMessage() throws -> [UInt8] {
        var message = [UInt8]()
        var compressed = false
        while true {
            let header = try take(2)
            let final = header[0] & 0x80 != 0
            let opcode = header[0] & 0x0f
            var length = Int(header[1] & 0x7f)
            if length == 126 {
                let bytes = try take(2)
                length = Int(bytes[0]) << 8 | Int(bytes[1])
            } else if length == 127 {
                length = try take(8).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try take(length)
            switch opcode {
            case 0x8: throw Failure.closed
            case 0x9: try sendFrame(opcode: 0xA, payload)
            case 0xA: break
            default:
                if opcode != 0x0 { compressed = header[0] & 0x40 != 0 }
                message += payload
                if final {
                    guard compressed, let deflate else { return message }
                    return try deflate.decompress(message)
                }
            }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count {
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: max(65536, count))
            let received = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { throw Failure.closed }
            buffer += chunk[0..<received]
        }
        defer { start += count }
        return Array(buffer[start..<(start + count)])
    }

    private func readHead() throws -> String {
        var head = [UInt8]()
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            head += try take(1)
        }
        return String(decoding: head, as: UTF8.self)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.closed }
            offset += sent
        }
    }
}
