/// Adds, updates or removes one server entry in a host's JSON configuration, as text: other servers,
/// unknown keys, key order, spacing and (in JSONC files) comments stay exactly as they were.
enum JSONConfigEditor {
    /// The new text; equal to `text` when the entry already says this.
    static func upsert(_ entry: SetupJSON, named name: String, into text: String, format: JSONHostFormat) throws -> String {
        guard case .object(let fields) = entry else { return text }
        guard !text.allSatisfy(\.isWhitespace) else {
            let document = SetupJSON.object([(format.serversKey, .object([(name, entry)]))])
            return document.rendered(indent: "", unit: "  ") + "\n"
        }
        var splicer = JSONTextSplicer(text)
        var root = try parseRoot(splicer.bytes, format: format)
        guard let servers = root.member(format.serversKey) else {
            splicer.appendMember(format.serversKey, .object([(name, entry)]), to: root)
            return splicer.text
        }
        guard servers.value.members != nil else {
            throw ConfigEditError.unexpectedShape("\"\(format.serversKey)\" is not an object")
        }
        guard let existing = servers.value.member(name), existing.value.members != nil else {
            if let existing = servers.value.member(name) {
                splicer.replaceValue(of: existing, with: entry)
            } else {
                splicer.appendMember(name, entry, to: servers.value)
            }
            return splicer.text
        }
        // The entry exists: set the fields this gateway owns, one at a time, and keep the rest (an "env" a
        // person added, "disabled", a host's own bookkeeping).
        for (key, value) in fields {
            root = try parseRoot(splicer.bytes, format: format)
            guard let current = root.member(format.serversKey)?.value.member(name)?.value else { break }
            if let field = current.member(key) {
                let wanted = try JSONSpanParser.parse(Array(value.compact.utf8), allowsComments: false)
                guard field.value.canonical(in: splicer.bytes) != wanted.canonical(in: Array(value.compact.utf8)) else { continue }
                splicer.replaceValue(of: field, with: value)
            } else {
                splicer.appendMember(key, value, to: current)
            }
        }
        return splicer.text
    }

    /// The new text without the entry (unchanged when there is none).
    static func remove(named name: String, from text: String, format: JSONHostFormat) throws -> String {
        guard !text.allSatisfy(\.isWhitespace) else { return text }
        var splicer = JSONTextSplicer(text)
        let root = try parseRoot(splicer.bytes, format: format)
        guard let servers = root.member(format.serversKey)?.value, let members = servers.members,
              let position = members.lastIndex(where: { $0.key == name }) else { return text }
        splicer.removeMember(at: position, of: servers)
        return splicer.text
    }

    /// The entry's command when the file has one under this name.
    static func configuredCommand(named name: String, in text: String, format: JSONHostFormat) throws -> String?? {
        guard !text.allSatisfy(\.isWhitespace) else { return nil }
        let root = try parseRoot(Array(text.utf8), format: format)
        guard let entry = root.member(format.serversKey)?.value.member(name)?.value else { return nil }
        return .some(entry.member("command")?.value.stringValue)
    }

    private static func parseRoot(_ bytes: [UInt8], format: JSONHostFormat) throws -> JSONSpanNode {
        let root: JSONSpanNode
        do {
            root = try JSONSpanParser.parse(bytes, allowsComments: format.allowsComments)
        } catch let failure as JSONSpanParser.Failure {
            throw ConfigEditError.unparsable(format: format.allowsComments ? "JSON (with comments)" : "JSON", reason: failure.description)
        }
        guard root.members != nil else { throw ConfigEditError.unexpectedShape("the file's top level is not a JSON object") }
        return root
    }
}
