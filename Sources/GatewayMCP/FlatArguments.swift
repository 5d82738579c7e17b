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

    /// nil when the arguments are not a flat object, have a name that is not ASCII, or hold a member
    /// named in `excluded` (the gateway's own arguments, which the full way takes out before forwarding).
    init?(_ bytes: UnsafeRawBufferPointer, _ arguments: JSONScanner.Member, excluding excluded: [String]) {
        let start = arguments.value.lowerBound
        let span = UnsafeRawBufferPointer(rebasing: bytes[arguments.value])
        // Depth 1: an object or array among the values makes the scan refuse.
        guard span.first == UInt8(ascii: "{"), let scan = JSONScanner.scanObject(span, maximumDepth: 1),
              scan.members.count <= Self.maximumMembers
        else { return nil }
        var members: [Member] = []
        members.reserveCapacity(scan.members.count)
        for (index, member) in scan.members.enumerated() {
            guard !member.keyHasEscape else { return nil }
            for earlier in scan.members[..<index] where earlier.key.count == member.key.count {
                if span[earlier.key].elementsEqual(span[member.key]) { return nil }
            }
            let name = span[member.key]
            guard name.allSatisfy({ $0 < 0x80 }),
                  !excluded.contains(where: { $0.utf8.count == name.count && $0.utf8.elementsEqual(name) })
            else { return nil }
            members.append(Member(
                name: (member.key.lowerBound + start)..<(member.key.upperBound + start),
                value: (member.value.lowerBound + start)..<(member.value.upperBound + start)))
        }
        self.members = members
        text = JSONText(scannedBytes: span)
    }
}

extension ArgumentValidator {
    /// True only when `problem(in:schema:)` would find nothing wrong with these arguments (parsed from
    /// the same bytes); false when there may be something, and the caller asks `problem` for the message.
    static func certainlyFits(_ arguments: FlatArguments, in bytes: UnsafeRawBufferPointer, schema: ArgumentSchema) -> Bool {
        if let type = schema.type, !JSONValue.object([:]).matches(type: type) { return false }
        guard schema.allowed == nil, let names = schema.asciiNames else { return false }
        for name in names.required where !arguments.members.contains(where: { same(bytes, $0.name, name) }) { return false }
        for member in arguments.members {
            let first = bytes[member.value.lowerBound]
            if let property = names.properties.first(where: { same(bytes, member.name, $0.name) })?.schema {
                // A scalar meets only a schema's type and enum (its properties, required and items apply to
                // containers); enums are left to the full check.
                guard property.allowed == nil else { return false }
                if let type = property.type, !kind(of: bytes[member.value]).matches(type: type) { return false }
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
        for offset in name.indices where bytes[range.lowerBound + offset] != name[offset] { return false }
        return true
    }

    /// A value of the kind of the scalar written `text`, for `JSONValue.matches(type:)` to judge, so the
    /// type rules stay in one place. Digits alone stand as 0 (the parser reads them as an integer, or as a
    /// whole double past Int64); a fraction or exponent stands as 0.5, leaving "integer" to the full
    /// check, which tells 1.0 from 1.5.
    private static func kind(of text: Slice<UnsafeRawBufferPointer>) -> JSONValue {
        switch text.first {
        case UInt8(ascii: "\""): .string("")
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool(true)
        case UInt8(ascii: "n"): .null
        default: text.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ? .double(0.5) : .int(0)
        }
    }
}
