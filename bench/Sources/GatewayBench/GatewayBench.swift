import Foundation
import Histogram

/// gateway-bench SCENARIO [options]; prints one JSON object with the figures.
///   mcp   --server EXE [--server-arg A]... --port P --token T --editors K --in-flight N --calls C [--result-bytes B]
///         [--deflate 1]   (editors negotiate permessage-deflate and compress their answers)
///         [--deflate control]   (editors compress each answer as with 1, then send it uncompressed: plain
///                                editors exactly as slow as deflating ones, to tell the gateway's cost of
///                                inflating from what a slower editor does to its batching)
///         [--tool NAME --arguments JSON]   (--editors 0 with a gateway tool measures the MCP side alone)
///   stdio --server EXE [--server-arg A]... --in-flight N --calls C      (generator ceiling: a trivial responder)
///   echo  --port P --in-flight N --calls C                               (the limit: a bare WebSocket echo)
///   connect --port P --calls C [--threads T] [--token T]                 (C clients connecting at once)
@main
struct GatewayBench {
    static func main() {
        do {
            try run(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("gateway-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static let tool = "get_node_properties"
    static let arguments = #"{"node_path":"/root/Main/Player"}"#
    /// What a routed command looks like on the WebSocket, for the echo limit.
    static let commandMessage = Array(#"{"command":"get_node_properties","id":"3f1c2e9a-8d7b-4c6e-9a1f-2b3c4d5e6f70","params":{"node_path":"/root/Main/Player"},"timestamp":1764000000000}"#.utf8)

    static func run(_ arguments: [String]) throws {
        guard let scenario = arguments.first else { throw BenchError.setup("name a scenario: mcp, stdio or echo") }
        var options: [String: String] = [:]
        var serverArguments: [String] = []
        var index = 1
        while index + 1 < arguments.count {
            if arguments[index] == "--server-arg" { serverArguments.append(arguments[index + 1]) } else { options[arguments[index]] = arguments[index + 1] }
            index += 2
        }
        func number(_ key: String, _ fallback: Int) -> Int { options[key].flatMap(Int.init) ?? fallback }
        let calls = number("--calls", 5000)
        let inFlight = number("--in-flight", 1)
        let histogram: Histogram<UInt64>
        let seconds: Double
        var serverCPUSeconds: Double?
        switch scenario {
        case "echo":
            (histogram, seconds) = try EchoLoad.run(port: number("--port", 0), count: calls, inFlight: inFlight, message: commandMessage)
        case "connect":
            (histogram, seconds) = try ConnectLoad.run(
                port: number("--port", 0), count: calls, threads: number("--threads", 4),
                token: options["--token"] ?? "bench-token-0123456789abcdef")
        case "mcp", "stdio":
            guard let server = options["--server"] else { throw BenchError.setup("--server is required") }
            var environment = ProcessInfo.processInfo.environment
            environment["GODOT_MCP_TOKEN"] = options["--token"] ?? "bench-token-0123456789abcdef"
            let host = try StdioHost(executable: server, arguments: serverArguments, environment: environment)
            defer { host.stop() }
            try host.initialize()
            var editors: [RawWebSocket] = []
            let tool = options["--tool"] ?? Self.tool
            let toolArguments = options["--arguments"] ?? Self.arguments
            if scenario == "mcp" && options["--editors"] != "0" {
                usleep(200_000)
                editors = try FakeEditors.start(
                    count: number("--editors", 1), port: number("--port", 0), token: environment["GODOT_MCP_TOKEN"] ?? "",
                    resultBytes: number("--result-bytes", 64), deflate: options["--deflate"] == "1",
                    compressAndSendPlain: options["--deflate"] == "control")
                try host.waitUntilRoutable(tool: tool, arguments: toolArguments, timeout: 10)
            }
            var events: EventLoad?
            if number("--events-per-second", 0) > 0 || number("--subscribers", 0) > 0 {
                events = try EventLoad(
                    port: number("--port", 0), token: environment["GODOT_MCP_TOKEN"] ?? "",
                    eventsPerSecond: number("--events-per-second", 0), subscribers: number("--subscribers", 0))
            }
            defer { events?.stop() }
            _ = try host.run(count: min(1000, max(1, calls / 4)), inFlight: inFlight, tool: tool, arguments: toolArguments)  // warm-up
            let cpuBefore = ServerCPU.seconds(pid: host.pid)
            (histogram, seconds) = try host.run(count: calls, inFlight: inFlight, tool: tool, arguments: toolArguments)
            if let before = cpuBefore, let after = ServerCPU.seconds(pid: host.pid) { serverCPUSeconds = after - before }
            editors.forEach { $0.closeSocket() }
        default:
            throw BenchError.setup("unknown scenario \(scenario)")
        }
        func micros(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        var result: [String: Any] = [
            "scenario": scenario, "calls": calls, "inFlight": inFlight, "seconds": seconds,
            "callsPerSecond": Double(calls) / seconds,
            "p50us": micros(50), "p99us": micros(99), "p999us": micros(99.9), "maxUs": Double(histogram.max) / 1000,
        ]
        if let serverCPUSeconds { result["serverCPUusPerCall"] = serverCPUSeconds * 1e6 / Double(calls) }
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
