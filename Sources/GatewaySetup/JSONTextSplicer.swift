/// Byte-level edits of a JSON document that keep its style: new members take the indentation of their
/// neighbours, removed members take their comma with them, and nothing else moves.
struct JSONTextSplicer {
    private(set) var bytes: [UInt8]
    let newline: String
    let indentUnit: String

    init(_ text: String) {
        bytes = Array(text.utf8)
        newline = text.contains("\r\n") ? "\r\n" : "\n"
        indentUnit = Self.indentUnit(of: text)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The smallest indentation any line of the file uses (two spaces for a file with none).
    private static func indentUnit(of text: String) -> String {
        var best: Substring?
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let lead = line.prefix { $0 == " " || $0 == "\t" }
            guard !lead.isEmpty, lead.count < line.count else { continue }
            if lead.first == "\t" { return "\t" }
            if best == nil || lead.count < best?.count ?? 0 { best = lead }
        }
        return best.map(String.init) ?? "  "
    }

    /// The leading whitespace of the line that holds `offset`.
    func lineIndent(at offset: Int) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func containsNewline(_ range: Range<Int>) -> Bool {
        bytes[range].contains(UInt8(ascii: "\n"))
    }

    mutating func replace(_ range: Range<Int>, with text: String) {
        bytes.replaceSubrange(range, with: Array(text.utf8))
    }

    /// Replaces a member's value, indenting a multi-line value like the member's own line.
    mutating func replaceValue(of member: JSONSpanMember, with value: SetupJSON) {
        let indent = lineIndent(at: member.keyRange.lowerBound)
        replace(member.value.range, with: value.rendered(indent: indent, unit: indentUnit, newline: newline))
    }

    /// Adds `"key": value` as the last member of `object`.
    mutating func appendMember(_ key: String, _ value: SetupJSON, to object: JSONSpanNode) {
        guard let members = object.members else { return }
        if let last = members.last {
            if containsNewline(object.range.lowerBound..<last.keyRange.lowerBound) {
                let indent = lineIndent(at: last.keyRange.lowerBound)
                let rendered = value.rendered(indent: indent, unit: indentUnit, newline: newline)
                replace(last.value.range.upperBound..<last.value.range.upperBound,
                        with: "," + newline + indent + SetupJSON.quoted(key) + ": " + rendered)
            } else {
                // A one-line object stays on one line.
                replace(last.value.range.upperBound..<last.value.range.upperBound, with: ", " + SetupJSON.quoted(key) + ": " + value.compact)
            }
            return
        }
        let outer = lineIndent(at: object.range.lowerBound)
        let inner = outer + indentUnit
        let member = inner + SetupJSON.quoted(key) + ": " + value.rendered(indent: inner, unit: indentUnit, newline: newline)
        let interior = (object.range.lowerBound + 1)..<(object.range.upperBound - 1)
        let onlySpace = bytes[interior].allSatisfy { [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains($0) }
        if onlySpace {
            replace(interior, with: newline + member + newline + outer)
        } else {
            // Only comments inside: the member goes after them.
            replace(interior.upperBound..<interior.upperBound, with: newline + member + newline + outer)
        }
    }

    /// Takes member number `position` out of `object`, with the comma that separated it.
    mutating func removeMember(at position: Int, of object: JSONSpanNode) {
        guard let members = object.members, members.indices.contains(position) else { return }
        let member = members[position]
        if position > 0 {
            replace(members[position - 1].value.range.upperBound..<member.value.range.upperBound, with: "")
        } else if members.count > 1 {
            replace(member.keyRange.lowerBound..<members[1].keyRange.lowerBound, with: "")
        } else {
            replace((object.range.lowerBound + 1)..<(object.range.upperBound - 1), with: "")
        }
    }
}
