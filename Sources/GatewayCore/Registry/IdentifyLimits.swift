/// Bounds on what one client may declare and name in `identify`. Everything an editor declares is
/// copied into every host's tool list and every dashboard snapshot, so one editor's excess would cost
/// every host and every watcher (four editors declaring 14 MB each once made `tools/list` 58 MB and kept
/// the service loop busy for a minute). Our addon declares 40 commands in about 18 KiB, its largest
/// schema 541 bytes; the bounds leave it a wide margin and no one a lever.
package enum IdentifyLimits {
    /// The whole `identify` message: about 30 times what the addon sends.
    package static let maximumBytes = 512 * 1024
    /// Declared commands: VS Code takes at most 128 tools per request, so more could never all be used.
    package static let maximumCommands = 128
    /// One command's input schema, as JSON: 30 times the addon's largest.
    package static let maximumSchemaBytes = 16 * 1024
    /// Names shown to people and hosts (`projectName`, versions): a line, not a document.
    package static let maximumNameLength = 200
    /// `projectPath` and other free-form identity strings (paths run long on Windows).
    package static let maximumFieldLength = 4096
    /// Identity fields besides the declared commands, as JSON.
    package static let maximumDetailsBytes = 16 * 1024

    /// Why this `identify` is refused, or nil when it is within the bounds.
    package static func problem(with identification: InboundMessage.Identification, byteCount: Int) -> String? {
        if byteCount > maximumBytes {
            return "identify is \(byteCount) bytes; at most \(maximumBytes) are accepted"
        }
        for (field, value) in [("clientVersion", identification.clientVersion), ("godotVersion", identification.godotVersion)] {
            if let value, value.count > maximumNameLength { return "\(field) is longer than \(maximumNameLength) characters" }
        }
        var details = identification.details
        if let capabilities = details.removeValue(forKey: "capabilities"), let problem = problem(with: capabilities) { return problem }
        if case .string(let name)? = details["projectName"], name.count > maximumNameLength {
            return "projectName is longer than \(maximumNameLength) characters"
        }
        for (field, value) in details {
            if case .string(let text) = value, text.count > maximumFieldLength { return "\(field.prefix(64)) is longer than \(maximumFieldLength) characters" }
        }
        if JSONValue.object(details).jsonText.utf8.count > maximumDetailsBytes {
            return "the identity fields besides capabilities exceed \(maximumDetailsBytes) bytes"
        }
        return nil
    }

    private static func problem(with capabilities: JSONValue) -> String? {
        guard case .array(let commands)? = capabilities["commands"] else { return nil }
        if commands.count > maximumCommands { return "\(commands.count) commands declared; at most \(maximumCommands) are accepted" }
        for command in commands {
            let schema = command["inputSchema"] ?? command["input_schema"] ?? .null
            if schema.jsonText.utf8.count > maximumSchemaBytes {
                return "the input schema of \(command["name"]?.stringValue?.prefix(64) ?? "a command") exceeds \(maximumSchemaBytes) bytes"
            }
        }
        return nil
    }
}
