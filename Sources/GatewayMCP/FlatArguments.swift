import GatewayCore

/// A `tools/call`'s arguments when they are a flat object (every value a string, a number, true, false or
/// null; every name without escapes and unlike the others), read from the host's bytes without building
/// a tree. Most calls look like this: a node path, a name, a number. Such arguments are checked by
/// `ArgumentValidator.certainlyFits` and sent on as the host wrote them; anything else takes the full way
/// (parse, validate, forward), so both ways answer alike. Names are ASCII: they are compared as bytes,
/// which for ASCII is what comparing them as Strings (canonical equivalence) would conclude.
struct FlatArguments {
    struct Member {
        /// The name's bytes in the request line (without the quotes); no String is made of it, nor hashed.
        let name: Range<Int>
        /// The value's bytes in the request line.
        let value: Range<Int>
    }

    let members: [Member]
    /// The arguments object as the host wrote it (scanned: valid JSON and UTF-8).
    let text: JSONText

    /// More members than this go the full way: names are compared pairwise.
    static let maximumMembers = 16

    /// nil when the arguments are not a flat object, have a name that is not ASCII, or hold one of the
    /// gateway's own arguments (`client`, `wait_seconds`: the full way takes them out before forwarding).
    init?(_ bytes: UnsafeRawBufferPointer, _ arguments: JSONScanner.Member) {
        let span = UnsafeRawBufferPointer(rebasing: bytes[arguments.value])
        var recorder = Recorder(line: bytes, start: arguments.value.lowerBound)
        // Depth 1: an object or array among the values makes the scan refuse.
        guard span.first == UInt8(ascii: "{"), JSONScanner.scanObject(span, maximumDepth: 1, into: &recorder) else { return nil }
        members = recorder.members
        text = JSONText(scannedBytes: span)
    }

    /// Takes each member as the scanner finds it, in the line's coordinates, and stops the scan at the first
    /// that makes the arguments not flat in this sense: one array, and no scan arrays to copy from.
    private struct Recorder: JSONMemberRecorder {
        let line: UnsafeRawBufferPointer
        /// Where the arguments object starts in `line` (the scanner's ranges start at the object).
        let start: Int
        var members: [Member] = []

        mutating func record(_ member: JSONScanner.Member, expanded: Bool) -> Bool {
            guard !expanded, !member.keyHasEscape, members.count < FlatArguments.maximumMembers else { return false }
            let nameRange = (member.key.lowerBound + start)..<(member.key.upperBound + start)
            let name = UnsafeRawBufferPointer(rebasing: line[nameRange])
            guard name.allSatisfy({ $0 < 0x80 }), !FlatArguments.gatewayArguments.contains(where: { FlatArguments.same($0, name) }) else {
                return false
            }
            for earlier in members where FlatArguments.same(UnsafeRawBufferPointer(rebasing: line[earlier.name]), name) { return false }
            members.append(Member(name: nameRange, value: (member.value.lowerBound + start)..<(member.value.upperBound + start)))
            return true
        }
    }

    /// The gateway's own arguments, as bytes (compared with names as bytes, never made into Strings).
    static let gatewayArguments = [ToolCatalog.clientArgument, ToolCatalog.waitArgument].map { Array($0.utf8) }

    fileprivate static func same(_ known: [UInt8], _ name: UnsafeRawBufferPointer) -> Bool {
        known.withUnsafeBytes { same($0, name) }
    }

    fileprivate static func same(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        for offset in 0..<left.count where left[offset] != right[offset] { return false }
        return true
    }
}

extension ArgumentValidator {
    /// True only when `problem(in:schema:)` would find nothing wrong with these arguments (parsed from
    /// the same bytes); false when there may be something, and the caller asks `problem` for the message.
    static func certainlyFits(_ arguments: FlatArguments, in bytes: UnsafeRawBufferPointer, schema: ArgumentSchema) -> Bool {
        guard schema.acceptsObject, schema.allowed == nil, let names = schema.asciiNames else { return false }
        for name in names.required where !arguments.members.contains(where: { same(bytes, $0.name, name) }) { return false }
        for member in arguments.members {
            let first = bytes[member.value.lowerBound]
            if let property = names.properties.first(where: { same(bytes, member.name, $0.name) })?.schema {
                // A scalar meets only a schema's type and enum (its properties, required and items apply to
                // containers); enums are left to the full check.
                guard property.allowed == nil, property.scalarKinds.contains(kind(of: bytes[member.value])) else { return false }
            } else if schema.closed {
                return false
            }
            if JSONScanner.bytes(bytes, member.name, equal: "path"), first == UInt8(ascii: "\"") {
                guard let path = InboundMessage.plainString(bytes, member.value), ResourcePath.problem(path) == nil else { return false }
            }
        }
        return true
    }

    /// Whether the bytes at `range` are `name`; lengths first, since most names compared differ in length.
    private static func same(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: [UInt8]) -> Bool {
        guard range.count == name.count else { return false }
        return name.withUnsafeBufferPointer { name in
            for offset in 0..<name.count where bytes[range.lowerBound + offset] != name[offset] { return false }
            return true
        }
    }

    /// The kind of the scalar written `text` (`ScalarKinds`): digits alone stand as an integer (the parser
    /// reads them as one, or as a whole double past Int64); a fraction or an exponent as a fraction, leaving
    /// "integer" to the full check, which tells 1.0 from 1.5.
    private static func kind(of text: Slice<UnsafeRawBufferPointer>) -> ScalarKinds {
        switch text.first {
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .boolean
        case UInt8(ascii: "n"): .null
        default: text.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ? .fraction : .integer
        }
    }
}
