import Foundation
import Histogram

/// The limit: the same command-sized messages sent over one WebSocket to an echo server, pipelined with
/// `inFlight` outstanding, timing each from send to its echo (echoes come back in order).
enum EchoLoad {
    static func run(port: Int, count: Int, inFlight: Int, message: [UInt8]) throws -> (Histogram<UInt64>, Double) {
        let socket = try RawWebSocket(port: port)
        let window = DispatchSemaphore(value: inFlight)
        let times = TimeQueue(count: count)
        let began = DispatchTime.now().uptimeNanoseconds
        let box = SenderBox(socket: socket, message: message)
        let sender = Thread {
            for index in 0..<count {
                window.wait()
                times.set(index, DispatchTime.now().uptimeNanoseconds)
                try? box.socket.sendText(box.message)
            }
        }
        sender.start()
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for index in 0..<count {
            _ = try socket.receiveMessage()
            _ = histogram.record(DispatchTime.now().uptimeNanoseconds - times.get(index))
            window.signal()
        }
        return (histogram, Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
    }
}

private final class SenderBox: @unchecked Sendable {
    let socket: RawWebSocket
    let message: [UInt8]
    init(socket: RawWebSocket, message: [UInt8]) {
        self.socket = socket
        self.message = message
    }
}

private final class TimeQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [UInt64]
    init(count: Int) { times = [UInt64](repeating: 0, count: count) }
    func set(_ index: Int, _ value: UInt64) { lock.withLock { times[index] = value } }
    func get(_ index: Int) -> UInt64 { lock.withLock { times[index] } }
}
