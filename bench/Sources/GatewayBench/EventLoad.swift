import Foundation

/// Collaboration traffic beside the measured calls: an editor that publishes `eventsPerSecond` events
/// (it declares no commands, so no call is routed to it) and `subscribers` clients that take every
/// event, each on its own thread — what a few watching dashboards and a busy editor cost the calls.
final class EventLoad: @unchecked Sendable {
    private var sockets: [RawWebSocket] = []
    private let running = NSLock()
    private var stopped = false

    init(port: Int, token: String, eventsPerSecond: Int, subscribers: Int) throws {
        let headers = ["Authorization: Bearer \(token)"]
        for _ in 0..<subscribers {
            let socket = try RawWebSocket(port: port, path: "/?type=mcp", headers: headers)
            _ = try socket.receiveMessage()  // handshake
            try socket.sendText(Array(#"{"type":"identify","clientType":"mcp"}"#.utf8))
            try socket.sendText(Array(#"{"type":"subscribe","events":["*"]}"#.utf8))
            sockets.append(socket)
            let held = SocketHolder(socket)
            Thread { while (try? held.socket.receiveMessage()) != nil {} }.start()
        }
        let editor = try RawWebSocket(port: port, headers: headers + ["User-Agent: Godot/4.3 bench-events"])
        _ = try editor.receiveMessage()
        try editor.sendText(Array(#"{"type":"identify","clientType":"godot","capabilities":{"commands":[]}}"#.utf8))
        sockets.append(editor)
        let held = SocketHolder(editor)
        Thread { while (try? held.socket.receiveMessage()) != nil {} }.start()
        guard eventsPerSecond > 0 else { return }
        let pause = UInt32(1_000_000 / eventsPerSecond)
        Thread { [self] in
            var index = 0
            while !isStopped {
                index += 1
                let event = #"{"type":"event","event":"node_selected","data":{"nodes":["/root/Main/Enemy\#(index % 50)"]}}"#
                guard (try? held.socket.sendText(Array(event.utf8))) != nil else { return }
                usleep(pause)
            }
        }.start()
    }

    private var isStopped: Bool { running.withLock { stopped } }

    func stop() {
        running.withLock { stopped = true }
        sockets.forEach { $0.closeSocket() }
    }
}

/// Hands a socket to a reader or writer thread: each socket is read on one thread and written on one.
private final class SocketHolder: @unchecked Sendable {
    let socket: RawWebSocket
    init(_ socket: RawWebSocket) { self.socket = socket }
}
