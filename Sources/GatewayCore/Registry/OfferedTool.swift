/// A command an editor says it implements (`identify` → `capabilities.commands`), which the MCP side
/// offers as a tool while that editor is connected.
package struct OfferedTool: Sendable, Equatable {
    package var name: String
    package var description: String
    package var inputSchema: JSONValue
    package var readOnly: Bool
    package var destructive: Bool
    /// Its result carries an image (`image_data` base64, `image_mime_type`) the host gets as image content.
    package var returnsImage = false

    /// Most commands one editor may declare; more are ignored.
    static let maximumCount = 256

    /// The commands declared in `capabilities` (nil when the client declared none: it then gets the
    /// original protocol's commands). Entries with a bad name or schema are skipped.
    package static func parse(capabilities: JSONValue?) -> [OfferedTool]? {
        guard case .array(let declared)? = capabilities?["commands"] else { return nil }
        var tools: [OfferedTool] = []
        var seen: Set<String> = []
        for entry in declared.prefix(maximumCount) {
            guard let name = entry["name"]?.stringValue, isValidName(name), !seen.contains(name),
                  let schema = entry["inputSchema"] ?? entry["input_schema"], schema["type"]?.stringValue == "object"
            else { continue }
            seen.insert(name)
            tools.append(OfferedTool(
                name: name, description: String((entry["description"]?.stringValue ?? "").prefix(2000)), inputSchema: schema,
                readOnly: entry["readOnly"]?.boolValue ?? entry["read_only"]?.boolValue ?? false,
                destructive: entry["destructive"]?.boolValue ?? false,
                returnsImage: entry["returnsImage"]?.boolValue ?? entry["returns_image"]?.boolValue ?? false))
        }
        return tools
    }

    /// Lower-case letters, digits and underscores, starting with a letter, at most 64 long.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }
}

/// The original server's protocol facts the gateway keeps compatible with.
package enum OriginalProtocol {
    /// The commands the original addon implements: what a client that declares no capabilities offers.
    package static let defaultCommands: Set<String> = [
        "get_scene_tree", "list_nodes", "create_node", "set_node_property", "get_node_properties", "move_node", "save_scene",
        "add_input_action", "remove_input_action", "list_input_actions", "create_collision_shape",
    ]
    /// Those of them that only read.
    package static let readOnlyCommands: Set<String> = ["get_scene_tree", "list_nodes", "get_node_properties", "list_input_actions"]
}

extension ClientRecord {
    /// Takes an `identify`'s identity fields. The declared commands are kept parsed (`offeredTools`), not
    /// as their JSON: an addon's declarations with schemas are tens of KiB, and `list_clients` shows only
    /// how many there are.
    mutating func identify(with identification: InboundMessage.Identification) {
        var details = identification.details
        if let declared = details.removeValue(forKey: "capabilities") {
            offeredTools = OfferedTool.parse(capabilities: declared)
            var summary = declared.objectValue ?? [:]
            if case .array(let commands)? = summary.removeValue(forKey: "commands") { summary["commandCount"] = .int(Int64(commands.count)) }
            details["capabilities"] = .object(summary)
        } else {
            offeredTools = nil
        }
        self.details = details
    }

    /// Whether this editor runs `tool`: one it declared, or one of the original commands if it declared none.
    package func offers(_ tool: String) -> Bool {
        offeredNames?.contains(tool) ?? OriginalProtocol.defaultCommands.contains(tool)
    }
}
