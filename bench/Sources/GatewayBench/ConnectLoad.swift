import Foundation
import Histogram

/// Connections accepted per second: `count` clients connect from `threads` threads at once, each timed
/// from connect(2) to the gateway's handshake message (the client is then registered). All stay open
/// until the last is in, so the gateway holds every one of them at the end.
enum ConnectLoad {
    static func run(port: Int, count: Int, threads: Int, token: String) throws -> (Histogram<UInt64>, Double) {
        raiseFileLimit(to: count + 256)
        let results = LockedResults()
        let group = DispatchGroup()
        let began = DispatchTime.now().uptimeNanoseconds
        for thread in 0..<threads {
            let share = count / threads + (thread < count % threads ? 1 : 0)
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                for _ in 0..<share {
                    let started = DispatchTime.now().uptimeNanoseconds
                    do {
                        let socket = try RawWebSocket(port: port, headers: ["Authorization: Bearer \(token)"])
                        _ = try socket.receiveMessage()  // the handshake: registered
                        results.add(socket, nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
                    } catch {
                        results.fail(error)
                        return
                    }
                }
            }
            worker.start()
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let (sockets, latencies, failure) = results.take()
        sockets.forEach { $0.closeSocket() }
        if let failure { throw BenchError.setup("connection \(sockets.count + 1) of \(count) failed: \(failure)") }
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        latencies.forEach { _ = histogram.record($0) }
        return (histogram, seconds)
    }

    private static func raiseFileLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = min(limit.rlim_max, max(limit.rlim_cur, rlim_t(wanted)))
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}

private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var sockets: [RawWebSocket] = []
    private var latencies: [UInt64] = []
    private var failure: Error?

    func add(_ socket: RawWebSocket, nanoseconds: UInt64) {
        lock.withLock {
            sockets.append(socket)
            latencies.append(nanoseconds)
        }
    }

    func fail(_ error: Error) { lock.withLock { failure = failure ?? error } }

    func take() -> ([RawWebSocket], [UInt64], Error?) { lock.withLock { (sockets, latencies, failure) } }
}
