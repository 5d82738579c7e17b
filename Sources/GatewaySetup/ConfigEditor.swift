/// What `configure` does to one host's configuration text, without touching any file: the pure part
/// the command line and the tests share.
package enum ConfigEditor {
    /// The host's entry for this gateway, in the host's own shape.
    package static func entryValue(_ entry: ServerEntry, for host: MCPHost) -> SetupJSON {
        var fields: [(String, SetupJSON)] = []
        if case .json(let format) = host.format, format.writesStdioType { fields.append(("type", .string("stdio"))) }
        fields.append(("command", .string(entry.command)))
        fields.append(("args", .array(entry.arguments.map(SetupJSON.string))))
        return .object(fields)
    }

    /// The file's new text with the entry added or brought up to date (`existing` nil: no file yet).
    /// Equal to `existing` when nothing needs to change. Throws, changing nothing, on a file it cannot parse.
    package static func adding(_ entry: ServerEntry, for host: MCPHost, to existing: String?) throws -> String {
        switch host.format {
        case .json(let format):
            return try JSONConfigEditor.upsert(entryValue(entry, for: host), named: entry.name, into: existing ?? "", format: format)
        case .toml:
            return try TOMLConfigEditor.upsert(entry, into: existing ?? "")
        }
    }

    /// The file's new text without the entry named `name`; nil when there is no file.
    package static func removing(_ name: String, for host: MCPHost, from existing: String?) throws -> String? {
        guard let existing else { return nil }
        switch host.format {
        case .json(let format): return try JSONConfigEditor.remove(named: name, from: existing, format: format)
        case .toml: return try TOMLConfigEditor.remove(named: name, from: existing)
        }
    }

    /// Whether the file has an entry named `name`, and its command when that is a plain string.
    package static func configuredEntry(_ name: String, for host: MCPHost, in existing: String?) throws -> ConfiguredEntry? {
        guard let existing else { return nil }
        let command: String??
        switch host.format {
        case .json(let format): command = try JSONConfigEditor.configuredCommand(named: name, in: existing, format: format)
        case .toml: command = try TOMLConfigEditor.configuredCommand(named: name, in: existing)
        }
        guard let command else { return nil }
        return ConfiguredEntry(command: command)
    }
}

package struct ConfiguredEntry: Equatable, Sendable {
    package var command: String?
}
