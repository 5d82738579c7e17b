import Foundation

/// Fake Godot editors that answer every command at once, each on its own thread with a blocking socket.
enum FakeEditors {
    static func start(count: Int, port: Int, token: String, resultBytes: Int, deflate: Bool = false,
                      compressAndSendPlain: Bool = false) throws -> [RawWebSocket] {
        let padding = sceneTree(bytes: resultBytes)
        var editors: [RawWebSocket] = []
        for index in 0..<count {
            let socket = try RawWebSocket(
                port: port, headers: ["Authorization: Bearer \(token)", "User-Agent: Godot/4.3 bench"], offerDeflate: deflate,
                compressAndSendPlain: compressAndSendPlain)
            editors.append(socket)
            let box = SocketBox(socket: socket, padding: padding, project: "bench-\(index)")
            let thread = Thread { box.serve() }
            thread.start()
        }
        return editors
    }

    /// A JSON array of about `bytes` bytes that looks like a scene tree dump (names, types, paths,
    /// coordinates), so compression ratios resemble a real editor's answer rather than a run of one letter.
    static func sceneTree(bytes: Int) -> String {
        guard bytes > 2 else { return "[]" }
        let types = ["Node2D", "Sprite2D", "CharacterBody2D", "CollisionShape2D", "Area2D", "Label", "AnimationPlayer"]
        var random = UInt64(0x9E37_79B9_7F4A_7C15)
        func next() -> UInt64 {
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            return random
        }
        var text = "["
        var index = 0
        while text.utf8.count < bytes - 200 {
            let type = types[Int(next() % UInt64(types.count))]
            let x = Double(Int(next() % 400_000) - 200_000) / 100, y = Double(Int(next() % 400_000) - 200_000) / 100
            text += (index == 0 ? "" : ",") + #"{"name":"\#(type)_\#(index)","type":"\#(type)","path":"/root/Main/Level\#(index / 500)/\#(type)_\#(index)","position":[\#(x),\#(y)],"visible":\#(next() % 5 != 0),"script":"res://scripts/\#(type.lowercased())_\#(next() % 40).gd"}"#
            index += 1
        }
        return text + "]"
    }
}

private final class SocketBox: @unchecked Sendable {
    let socket: RawWebSocket
    let padding: String
    /// The project name it identifies with, so calls can name it (`client`).
    let project: String
    init(socket: RawWebSocket, padding: String, project: String) {
        self.socket = socket
        self.padding = padding
        self.project = project
    }

    func serve() {
        do {
            _ = try socket.receiveMessage()  // handshake
            try socket.sendText(Array(#"{"type":"identify","clientType":"godot","clientVersion":"bench","godotVersion":"4.3.stable","projectName":"\#(project)"}"#.utf8))
            while true {
                let message = try socket.receiveMessage()
                if let id = stringField("id", in: message), contains(#""command""#, in: message) {
                    let answer = #"{"id":"\#(id)","success":true,"result":{"node":"/root/Main/Player","tree":\#(padding)},"error":null}"#
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
