import Foundation

/// Fake Godot editors that answer every command at once, each on its own thread with a blocking socket.
enum FakeEditors {
    static func start(count: Int, port: Int, token: String, resultBytes: Int) throws -> [RawWebSocket] {
        let padding = String(repeating: "x", count: max(0, resultBytes))
        var editors: [RawWebSocket] = []
        for _ in 0..<count {
            let socket = try RawWebSocket(port: port, headers: ["Authorization: Bearer \(token)", "User-Agent: Godot/4.3 bench"])
            editors.append(socket)
            let box = SocketBox(socket: socket, padding: padding)
            let thread = Thread { box.serve() }
            thread.start()
        }
        return editors
    }
}

private final class SocketBox: @unchecked Sendable {
    let socket: RawWebSocket
    let padding: String
    init(socket: RawWebSocket, padding: String) {
        self.socket = socket
        self.padding = padding
    }

    func serve() {
        do {
            _ = try socket.receiveMessage()  // handshake
            try socket.sendText(Array(#"{"type":"identify","clientType":"godot","clientVersion":"bench","godotVersion":"4.3.stable"}"#.utf8))
            while true {
                let message = try socket.receiveMessage()
                if let id = stringField("id", in: message), contains(#""command""#, in: message) {
                    let answer = #"{"id":"\#(id)","success":true,"result":{"node":"/root/Main/Player","data":"\#(padding)"},"error":null}"#
                    try socket.sendText(Array(answer.utf8))
                } else if contains(#""type":"heartbeat""#, in: message), let stamp = numberField("timestamp", in: message) {
                    try socket.sendText(Array(#"{"type":"heartbeat_response","timestamp":\#(stamp)}"#.utf8))
                }
            }
        } catch {}
    }
}

/// The value of `"name":"…"` in a JSON text, without parsing it all (the generator must stay cheap).
func stringField(_ name: String, in bytes: [UInt8]) -> String? {
    let key = Array(#""\#(name)":""#.utf8)
    guard let start = find(key, in: bytes) else { return nil }
    let from = start + key.count
    guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
    return String(decoding: bytes[from..<end], as: UTF8.self)
}

func numberField(_ name: String, in bytes: [UInt8]) -> String? {
    let key = Array(#""\#(name)":"#.utf8)
    guard let start = find(key, in: bytes) else { return nil }
    let digits = bytes[(start + key.count)...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
    return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
}

func contains(_ text: String, in bytes: [UInt8]) -> Bool { find(Array(text.utf8), in: bytes) != nil }

private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    var index = 0
    while index + needle.count <= haystack.count {
        if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        index += 1
    }
    return nil
}
