import Foundation
@testable import GatewayCore
import Logging

/// Time stands still while one input is fed: the fuzzer looks for crashes, not for timing.
struct FixedClock: GatewayClock {
    func monotonicSeconds() -> Double { 1000 }
    func epochMilliseconds() -> Int64 { 1_000_000 }
}

/// Feeds each input, as a client's text message, through the whole inbound path of a protocol core:
/// rate limits, authentication gate, nesting check, JSON decoding, message validation and handling,
/// with a pending command so responses are matched too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInboundMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkKeptResultsAgreeWithFullParsing(bytes)
    checkFlatArgumentsAgreeWithTheValidator(bytes)
    bytes.withUnsafeBytes { buffer in
        checkScannerAgreesWithParser(bytes, buffer)
        checkScannedAnswersAgreeWithFullDecoding(bytes, buffer)
        checkScannedToolCallsAgreeWithFullParsing(buffer)
    }

    var security = SecuritySettings()
    security.token = "fuzzing-token-0123456789"
    // Predictable ids: command ids are the first id's characters and a counter, so the command is id1-1,
    // which corpus answers name to match it.
    let counter = IDCounter()
    let core = GatewayCore(
        settings: GatewaySettings(), security: security, clock: FixedClock(), logger: silent, makeID: counter.next)
    let request = ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3", bearerToken: "fuzzing-token-0123456789")
    guard let editor = core.connect(request)?.handle, let stranger = core.connect(ConnectionRequest(remoteAddress: "::1"))?.handle else {
        return 0
    }
    core.receive(editor, text: Array(#"{"type":"identify","clientType":"godot"}"#.utf8))
    core.submit(CommandRequest(name: "get_scene_tree", params: [:]))
    core.receive(editor, text: bytes)
    core.receive(stranger, text: bytes)
    core.tick()
    _ = core.takeEffects()
    _ = core.clientsReport.jsonText
    return 0
}

/// Differential check: a response's result is only checked and kept as text, never built; that must
/// accept and reject exactly what parsing the whole message accepts and rejects, and keep the same value.
private func checkKeptResultsAgreeWithFullParsing(_ bytes: [UInt8]) {
    for depth in [InboundMessage.maximumDepth, InboundMessage.maximumAnswerDepth] {
        checkKeptResultsAgreeWithFullParsing(bytes, maximumDepth: depth)
    }
}

private func checkKeptResultsAgreeWithFullParsing(_ bytes: [UInt8], maximumDepth: Int) {
    let decoded = InboundMessage.decode(bytes, maximumDepth: maximumDepth)
    // A full parse stops at 512 levels; a kept result may nest deeper, so only shallower input compares.
    let whole = try? JSONValue.parse(bytes)
    if whole == nil, maximumDepth > 500 { return }
    switch decoded {
    case .failure(let error) where error.code == .malformedJSON:
        if whole != nil { fatalError("valid JSON refused as malformed") }
    case .success(.commandResponse(let response)):
        guard let whole else { fatalError("malformed JSON accepted") }
        if response.result.value != (whole["result"] ?? .null) { fatalError("kept result differs from the parsed one") }
    case .success, .failure:
        // Nesting refusals happen before parsing; other outcomes need valid JSON to be reached.
        break
    }
}

/// Ids in creation order; the fuzzer runs one input at a time.
private final class IDCounter: @unchecked Sendable {
    private var count = 0
    func next() -> String {
        count += 1
        return "id-\(count)"
    }
}

private let silent = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

/// libFuzzer's driver, entered from our own `main` (SwiftPM executables must have one).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct InboundFuzzer {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzInboundMessage))
    }
}
