/// A host's `tools/call` request of the common shape, found by scanning its line instead of parsing it:
/// the envelope (`jsonrpc`, `id`, `method`, `params.name`) is read from its bytes, and only the small
/// parts the gateway must look into (`params.arguments`, `params._meta`) are left as spans to parse.
/// Anything unusual (another method, an escape in a name or in the id, a duplicate member, a non-integer
/// numeric id) is not taken here: the caller parses the line whole, as before, so the two paths cannot
/// answer differently (the fuzzer compares them).
package struct ScannedToolCall: Equatable, Sendable {
    /// The request id as JSON text, as `JSONValue.jsonText` writes it.
    package var id: String
    package var name: String
    /// `params.arguments` (any value; the caller checks it is an object), nil when absent.
    package var arguments: JSONScanner.Member?
    /// `params._meta`, nil when absent.
    package var meta: Range<Int>?

    package static func scan(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) -> ScannedToolCall? {
        var found = Envelope(bytes: bytes)
        guard JSONScanner.scanObject(bytes, maximumDepth: maximumDepth, expanding: "params", into: &found),
              let method = found.method, JSONScanner.bytes(bytes, method, equal: "\"tools/call\""),
              let params = found.params, bytes[params.lowerBound] == UInt8(ascii: "{"),
              let id = found.id, let idText = requestID(bytes, id),
              let name = found.name, let nameText = InboundMessage.plainString(bytes, name) else { return nil }
        return ScannedToolCall(id: idText, name: nameText, arguments: found.arguments, meta: found.meta)
    }

    /// The members the envelope is read from, noted as the scan finds them (no array of members is made).
    /// A name with an escape, or one of these names twice, stops the scan: the line takes the full path.
    private struct Envelope: JSONMemberRecorder {
        let bytes: UnsafeRawBufferPointer
        var id: Range<Int>?
        var method: Range<Int>?
        var params: Range<Int>?
        // In `params`:
        var name: Range<Int>?
        var arguments: JSONScanner.Member?
        var meta: Range<Int>?

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        @inline(__always)
        mutating func record(_ member: JSONScanner.Member, expanded: Bool) -> Bool {
            guard !member.keyHasEscape else { return false }
            let key = member.key
            if expanded {
                if JSONScanner.bytes(bytes, key, equal: "name") {
                    guard name == nil else { return false }
                    name = member.value
                } else if JSONScanner.bytes(bytes, key, equal: "arguments") {
                    guard arguments == nil else { return false }
                    arguments = member
                } else if JSONScanner.bytes(bytes, key, equal: "_meta") {
                    guard meta == nil else { return false }
                    meta = member.value
                }
            } else if JSONScanner.bytes(bytes, key, equal: "id") {
                guard id == nil else { return false }
                id = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "method") {
                guard method == nil else { return false }
                method = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "params") {
                guard params == nil else { return false }
                params = member.value
            }
            // `jsonrpc` and anything else: the dispatcher does not read them.
            return true
        }
    }

    /// The id's JSON text when it is written as `jsonText` would write it: a string without escapes, or
    /// an integer in its shortest form. Others (escapes, fractions, exponents, -0) take the full path.
    private static func requestID(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> String? {
        let first = bytes[value.lowerBound]
        if first == UInt8(ascii: "\"") {
            guard InboundMessage.plainString(bytes, value) != nil else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self)
        }
        // Up to 18 characters an integer fits Int64; a fraction or exponent is written otherwise by jsonText.
        let digits = first == UInt8(ascii: "-") ? value.dropFirst() : value[...]
        guard value.count <= 18, !digits.isEmpty,
              digits.allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }),
              !JSONScanner.bytes(bytes, value, equal: "-0") else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self)
    }

    /// The arguments object to send on to the editor, as the host's bytes without the members named in
    /// `removing` (the gateway's own routing arguments); nil when the bytes cannot stand for `value`
    /// (the arguments are not an object, or held a duplicate name somewhere, which `value` resolved one
    /// way and an editor's parser might resolve another): then the caller writes `value` out itself.
    package static func forwardedArguments(
        _ bytes: UnsafeRawBufferPointer, _ arguments: JSONScanner.Member, value: JSONValue, removing: [String]
    ) -> JSONText? {
        guard case .object(let members) = value, value.memberCount == arguments.nestedMembers else { return nil }
        let span = UnsafeRawBufferPointer(rebasing: bytes[arguments.value])
        guard removing.contains(where: { members[$0] != nil }) else { return JSONText(scannedBytes: span) }
        guard let scan = JSONScanner.scanObject(span, maximumDepth: JSONParser.maximumDepth) else { return nil }
        var text: [UInt8] = [UInt8(ascii: "{")]
        text.reserveCapacity(span.count)
        for member in scan.members {
            // An escaped name could spell a removed one: the caller's own writing is safer.
            guard !member.keyHasEscape else { return nil }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: span[member.key]), as: UTF8.self)
            if removing.contains(name) { continue }
            if text.count > 1 { text.append(UInt8(ascii: ",")) }
            text += UnsafeRawBufferPointer(rebasing: span[member.key.lowerBound - 1..<member.value.upperBound])
        }
        text.append(UInt8(ascii: "}"))
        return text.withUnsafeBytes { JSONText(scannedBytes: $0) }
    }
}

extension JSONValue {
    /// How many object members the value holds at any depth.
    var memberCount: Int {
        switch self {
        case .object(let members): members.values.reduce(members.count) { $0 + $1.memberCount }
        case .array(let items): items.reduce(0) { $0 + $1.memberCount }
        default: 0
        }
    }
}
