import Foundation
@testable import GatewayCore

// Differential checks of the scanners on the hot paths (JSONScanner, InboundMessage.scannedAnswer,
// ScannedToolCall) against the full parser they stand in for: same verdict, same spans, same results.

/// The scanner accepts exactly what the nesting check and the full parser accept together.
func checkScannerAgreesWithParser(_ bytes: [UInt8], _ buffer: UnsafeRawBufferPointer) {
    let parsed = try? JSONValue.parse(bytes)
    let strict = InboundMessage.maximumDepth
    if JSONScanner.isValid(buffer, maximumDepth: strict) != (NestingDepth.isWithin(buffer, limit: strict) && parsed != nil) {
        fatalError("scanner and parser disagree at depth \(strict)")
    }
    // The parser builds at most 512 levels, kept results go deeper: compare where both apply.
    let deep = InboundMessage.maximumAnswerDepth
    let scannedDeep = JSONScanner.isValid(buffer, maximumDepth: deep)
    if parsed != nil, !scannedDeep { fatalError("scanner refused valid JSON") }
    if scannedDeep, parsed == nil, NestingDepth.isWithin(buffer, limit: JSONParser.maximumDepth) { fatalError("scanner accepted invalid JSON") }
    guard let parsed, let scan = JSONScanner.scanObject(buffer, maximumDepth: strict, expanding: "params") else { return }
    checkSpans(scan.members, of: parsed, buffer)
    if let params = parsed["params"], scan.members.filter({ text(of: $0.key, buffer) == "params" }).count == 1 {
        checkSpans(scan.expanded, of: params, buffer)
    }
}

/// Each member's span parses to the member's value (names used once and written without escapes).
private func checkSpans(_ members: [JSONScanner.Member], of object: JSONValue, _ buffer: UnsafeRawBufferPointer) {
    let names = members.map { text(of: $0.key, buffer) }
    for (member, name) in zip(members, names) where !member.keyHasEscape && names.filter({ $0 == name }).count == 1 {
        let value = try? JSONParser.parse(bytes: Array(buffer[member.value]))
        if value == nil || value != object[name] { fatalError("span of '\(name)' is not its value") }
        if let value, value.memberCount != member.nestedMembers, !hasDuplicateNames(member, buffer) {
            fatalError("nested member count of '\(name)' is wrong")
        }
    }
}

/// Whether a value's text names a member twice in some object (then the built tree holds fewer).
private func hasDuplicateNames(_ member: JSONScanner.Member, _ buffer: UnsafeRawBufferPointer) -> Bool {
    guard let value = try? JSONParser.parse(bytes: Array(buffer[member.value])) else { return true }
    return value.memberCount < member.nestedMembers
}

private func text(of range: Range<Int>, _ buffer: UnsafeRawBufferPointer) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
}

/// A scanned answer is what decoding the whole message gives, to the byte of its result.
func checkScannedAnswersAgreeWithFullDecoding(_ bytes: [UInt8], _ buffer: UnsafeRawBufferPointer) {
    for depth in [InboundMessage.maximumDepth, InboundMessage.maximumAnswerDepth] {
        guard let scanned = InboundMessage.scannedAnswer(buffer, maximumDepth: depth) else { continue }
        guard case .success(.commandResponse(let full)) = InboundMessage.decodeFully(bytes, maximumDepth: depth) else {
            fatalError("scanned an answer the full path refuses")
        }
        if scanned != full || scanned.result.text != full.result.text { fatalError("scanned answer differs from the decoded one") }
    }
}

/// A scanned tools/call names what the parsed request names, and the arguments it forwards as bytes are
/// the parsed arguments without the removed members.
func checkScannedToolCallsAgreeWithFullParsing(_ buffer: UnsafeRawBufferPointer) {
    guard let call = ScannedToolCall.scan(buffer, maximumDepth: 64) else { return }
    guard let whole = try? JSONParser.parse(bytes: Array(buffer)), let params = whole["params"] else {
        fatalError("scanned a request the parser refuses")
    }
    guard whole["method"] == "tools/call", whole["id"]?.jsonText == call.id, params["name"] == .string(call.name) else {
        fatalError("scanned request differs from the parsed one")
    }
    if call.meta.flatMap({ try? JSONParser.parse(bytes: Array(buffer[$0])) }) != params["_meta"] { fatalError("_meta span differs") }
    guard let member = call.arguments else {
        if params["arguments"] != nil { fatalError("arguments missed") }
        return
    }
    guard let arguments = try? JSONParser.parse(bytes: Array(buffer[member.value])), arguments == params["arguments"] else {
        fatalError("arguments span differs")
    }
    let removed = ["client", "wait_seconds"]
    guard let forwarded = ScannedToolCall.forwardedArguments(buffer, member, value: arguments, removing: removed) else { return }
    guard case .object(var expected) = arguments else { fatalError("forwarded arguments that are not an object") }
    for name in removed { expected[name] = nil }
    if forwarded.value != .object(expected) { fatalError("forwarded arguments differ from the parsed ones") }
}
