import GatewayCore
import GatewayEngine
import GatewayMCP
import GatewaySystem

/// The engine alone, in process: routed `tools/call`s from bytes to bytes with no socket, pipe or kernel in
/// the way, so that what the gateway's own code costs per call can be compared between two builds without
/// the scheduler's noise (bench/run.sh measures the whole path). Prints one JSON line.
///   swift run -c release EngineBench [calls] [in-flight] [meta]
/// With `meta`, each call carries `_meta` with a progress token, as the official SDKs send it when the caller
/// asks for progress (the bench editor reports none).
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let calls = arguments.first ?? 200_000
let inFlight = arguments.dropFirst().first ?? 8
let withMeta = CommandLine.arguments.contains("meta")

// As `bench/run.sh` runs the gateway: no audit log.
let driver = EngineDriver(settings: { var settings = GatewaySettings(); settings.startupGrace = 0; return settings }(), auditing: false)
driver.initializeHost()
let editor = driver.connectEditor(commands: nil)
_ = driver.messages(to: editor)
let engine = driver.engine
let editorHandle = driver.handle(of: editor)

/// What the bench's fake editors answer (bench/Sources/GatewayBench/FakeEditors.swift), for command `id`.
func answer(to id: Substring) -> [UInt8] {
    Array(#"{"id":"\#(id)","success":true,"result":{"node":"/root/Main/Player","tree":{"name":"Main"}},"error":null}"#.utf8)
}

func commandId(in text: String) -> Substring? {
    // Commands start {"command":"…","id":"…": the id is the second quoted value after "id".
    let bytes = Array(text.utf8)
    let key = Array(#""id":""#.utf8)
    guard bytes.count > key.count else { return nil }
    for start in 0...(bytes.count - key.count) where bytes[start..<(start + key.count)].elementsEqual(key) {
        let from = start + key.count
        guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return Substring(String(decoding: bytes[from..<end], as: UTF8.self))
    }
    return nil
}

var nextId = 1_000
var answered = 0
var hostBytes = 0
let started = ContinuousClock.now
while answered < calls {
    var lines: [UInt8] = []
    for _ in 0..<inFlight {
        let meta = withMeta ? #","_meta":{"progressToken":\#(nextId)}"# : ""
        lines += Array(#"{"jsonrpc":"2.0","id":\#(nextId),"method":"tools/call","params":{"name":"get_node_properties","arguments":{"node_path":"/root/Main/Player"}\#(meta)}}"#.utf8)
        lines.append(UInt8(ascii: "\n"))
        nextId += 1
    }
    var pending: [Substring] = []
    for action in engine.handle(.hostBytes(lines)) {
        if case .send(_, let text) = action, let id = commandId(in: text) { pending.append(id) }
    }
    for id in pending {
        for action in engine.handle(.textMessage(client: editorHandle, bytes: answer(to: id))) {
            if case .writeHost(let line) = action { hostBytes += line.count; answered += 1 }
        }
    }
    // As stdout would after its write: the host read everything (the engine holds requests back otherwise).
    _ = engine.handle(.hostOutputFlushed(pending: 0))
    if pending.isEmpty {
        let actions = engine.handle(.hostBytes(lines))
        fatalError("the engine routed nothing; check the set-up: \(actions)")
    }
}
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"calls":\#(answered),"inFlight":\#(inFlight),"usPerCall":\#(seconds * 1e6 / Double(answered)),"hostBytesPerCall":\#(hostBytes / max(answered, 1))}"#)
