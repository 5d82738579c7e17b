import Foundation
import Histogram

/// Plays the MCP host: starts the server under test with pipes and sends JSON-RPC `tools/call`
/// requests with a fixed number in flight, timing each from write to response.
final class StdioHost: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()
    private let lock = NSLock()
    private var startedAt: [UInt64] = []

    init(executable: String, arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
    }

    private func write(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// How far `pending` has been searched for a newline, so a long line is scanned once, not per chunk.
    private var scanned = 0

    /// The next response line (notifications are skipped).
    private func readResponse() -> [String: Any]? {
        while true {
            if let newline = pending[(pending.startIndex + scanned)...].firstIndex(of: 10) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                scanned = 0
                if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], object["id"] != nil {
                    return object
                }
                continue
            }
            scanned = pending.count
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }

    func initialize() throws {
        write(#"{"jsonrpc":"2.0","id":-1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"gateway-bench","version":"1"}}}"#)
        guard readResponse() != nil else { throw BenchError.serverExited }
        write(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    }

    /// Calls until one succeeds (the editors are connected and identified), at most for `timeout`.
    func waitUntilRoutable(tool: String, arguments: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var id = -1000
        while Date() < deadline {
            id -= 1
            write(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)}}"#)
            guard let response = readResponse() else { throw BenchError.serverExited }
            // MCP: a result without isError is a success.
            if let result = response["result"] as? [String: Any], (result["isError"] as? Bool ?? false) == false { return }
            usleep(20_000)
        }
        throw BenchError.noEditor
    }

    /// Sends `count` calls keeping `inFlight` outstanding; returns latencies (ns) and the wall time.
    func run(count: Int, inFlight: Int, tool: String, arguments: String) throws -> (Histogram<UInt64>, Double) {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        startedAt = [UInt64](repeating: 0, count: count)
        let window = DispatchSemaphore(value: inFlight)
        let began = DispatchTime.now().uptimeNanoseconds
        let sender = Thread { [self] in
            for id in 0..<count {
                window.wait()
                let now = DispatchTime.now().uptimeNanoseconds
                lock.withLock { startedAt[id] = now }
                write(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)}}"#)
            }
        }
        sender.start()
        var received = 0
        var failures = 0
        while received < count {
            guard let response = readResponse() else { throw BenchError.serverExited }
            let now = DispatchTime.now().uptimeNanoseconds
            guard let id = (response["id"] as? NSNumber)?.intValue, id >= 0, id < count else { continue }
            let sent = lock.withLock { startedAt[id] }
            _ = histogram.record(now - sent)
            if let result = response["result"] as? [String: Any], (result["isError"] as? Bool ?? false) {
                if failures == 0 { FileHandle.standardError.write(Data("gateway-bench: first failure: \(result)\n".utf8)) }
                failures += 1
            }
            received += 1
            window.signal()
        }
        if failures > 0 { throw BenchError.failedCalls(failures) }
        return (histogram, Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
    }
}

enum BenchError: Error, CustomStringConvertible {
    case serverExited, noEditor, failedCalls(Int), setup(String)
    var description: String {
        switch self {
        case .serverExited: "the server under test exited"
        case .noEditor: "no editor became routable"
        case .failedCalls(let count): "\(count) calls failed"
        case .setup(let text): text
        }
    }
}
