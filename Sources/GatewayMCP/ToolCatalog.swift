import GatewayCore

/// The MCP tools the gateway offers. Editor tools are forwarded as commands of the same name; their
/// names, descriptions and input schemas come from the Godot addon's own declarations (generated into
/// `EditorTools.generated.swift`), the original server's eleven among them. Gateway tools are answered
/// by the gateway itself.
package enum ToolCatalog {
    package struct Entry: Sendable, Equatable {
        package var name: String
        package var description: String
        package var inputSchema: JSONValue
        /// True for tools answered by the gateway rather than forwarded to an editor.
        package var isGatewayTool: Bool
        package var readOnly: Bool
        package var destructive = false
        /// The editor's result carries an image for the host (see `OfferedTool.returnsImage`).
        package var returnsImage = false
        /// One of the gateway's built-in editor tools (`editorTools`): `readOnly` is the gateway's own
        /// judgement, whatever an editor declares (see `builtInByName`).
        package var isBuiltIn = false
    }

    package static let editorTools: [Entry] = {
        guard case .array(let declarations)? = try? JSONValue.parse(Array(editorToolsJSON.utf8)) else { return [] }
        return declarations.compactMap { declaration in
            guard let name = declaration["name"]?.stringValue, let schema = declaration["input_schema"] else { return nil }
            return Entry(
                name: name, description: declaration["description"]?.stringValue ?? "", inputSchema: withClientArgument(schema),
                isGatewayTool: false, readOnly: declaration["read_only"]?.boolValue ?? false,
                returnsImage: declaration["returns_image"]?.boolValue ?? false, isBuiltIn: true)
        }
    }()

    package static let gatewayTools: [Entry] = [
        Entry(name: "list_clients", description: "List every client connected to the gateway (editors and others) with their registry fields.",
              inputSchema: emptySchema, isGatewayTool: true, readOnly: true),
        Entry(name: "get_connection_stats", description: "Connection and command statistics of the gateway since it started.",
              inputSchema: emptySchema, isGatewayTool: true, readOnly: true),
        Entry(name: "select_client",
              description: "Send this session's calls that name no editor to one Godot editor (by client id, or a unique prefix of "
                  + "its project name or folder); without a client, go back to the default routing.",
              inputSchema: [
                  "type": "object",
                  "properties": ["client": ["type": "string", "description": "The editor to use from now on; omit to unpin."]],
                  "required": [], "additionalProperties": false,
              ],
              isGatewayTool: true, readOnly: false),
        Entry(name: "lock_scene",
              description: "Take an advisory lock on a scene for this session: other MCP sessions' editing calls on it are refused "
                  + "until unlock_scene, this session ends, or the lock times out (lock_scene again renews it).",
              inputSchema: [
                  "type": "object",
                  "properties": ["scene": ["type": "string", "description": "The scene's res:// path."]],
                  "required": ["scene"], "additionalProperties": false,
              ],
              isGatewayTool: true, readOnly: false),
        Entry(name: "unlock_scene", description: "Release this session's lock on a scene.",
              inputSchema: [
                  "type": "object",
                  "properties": ["scene": ["type": "string", "description": "The scene's res:// path."]],
                  "required": ["scene"], "additionalProperties": false,
              ],
              isGatewayTool: true, readOnly: false),
        Entry(name: "list_toolsets",
              description: "List the groups of tools (toolsets), their tools, and which ones this session's tool list shows.",
              inputSchema: emptySchema, isGatewayTool: true, readOnly: true),
        Entry(name: "enable_toolset", description: "Show a toolset's tools in this session's tool list (see list_toolsets).",
              inputSchema: toolsetSchema, isGatewayTool: true, readOnly: true),
        Entry(name: "disable_toolset",
              description: "Stop showing a toolset's tools in this session's tool list; they can still be called.",
              inputSchema: toolsetSchema, isGatewayTool: true, readOnly: true),
    ]

    static let toolsetSchema: JSONValue = [
        "type": "object",
        "properties": ["toolset": ["type": "string", "enum": .array(Toolsets.names.map(JSONValue.string)), "description": "The toolset's name."]],
        "required": ["toolset"], "additionalProperties": false,
    ]

    /// What a session's `tools/list` shows of `tools`: the chosen toolsets' tools (and the toolset tools),
    /// by set and then by name.
    package static func listed(_ tools: [Entry], toolsets: Set<String>) -> [Entry] {
        tools.filter { Toolsets.alwaysListed.contains($0.name) || toolsets.contains(Toolsets.set(of: $0.name)) }
            .sorted { (Toolsets.sortKey($0.name), $0.name) < (Toolsets.sortKey($1.name), $1.name) }
    }

    package static let all: [Entry] = editorTools + gatewayTools

    /// The gateway's own judgement of its built-in editor tools (whether each only reads), which an
    /// editor's declaration of the same name never overrides (a hostile editor could call an editing tool
    /// read-only and open it to read-only callers): `current` marks the entry `isBuiltIn` with these hints.
    private static let builtInByName: [String: Entry] = Dictionary(editorTools.map { ($0.name, $0) }) { first, _ in first }

    /// The tools offered right now: the union of the ready editors' commands in connection order (the
    /// original protocol's commands for an editor that declared none), then the gateway's own. With no
    /// editor connected, the built-in catalog, so a host that starts first still sees what it can ask for.
    package static func current(editors: [ClientRecord]) -> [Entry] {
        guard !editors.isEmpty else { return all }
        let reserved = Set(gatewayTools.map(\.name))
        var position: [String: Int] = [:]
        var tools: [Entry] = []
        for editor in editors {
            if let offered = editor.offeredTools {
                for tool in offered where !reserved.contains(tool.name) {
                    if let index = position[tool.name] {
                        // Declared by several editors: the listed hints are the most careful of theirs; each
                        // call is judged by its target editor's own declaration (GatewayCore+Collaboration).
                        tools[index].readOnly = tools[index].readOnly && tool.readOnly
                        tools[index].destructive = tools[index].destructive || tool.destructive
                        continue
                    }
                    position[tool.name] = tools.count
                    var entry = Entry(
                        name: tool.name, description: tool.description, inputSchema: withClientArgument(tool.inputSchema),
                        isGatewayTool: false, readOnly: tool.readOnly, destructive: tool.destructive,
                        returnsImage: tool.returnsImage)
                    if let builtIn = builtInByName[tool.name] {
                        entry.readOnly = builtIn.readOnly
                        entry.destructive = builtIn.destructive
                        entry.isBuiltIn = true
                    }
                    tools.append(entry)
                }
            } else {
                for entry in editorTools where OriginalProtocol.defaultCommands.contains(entry.name) && position[entry.name] == nil {
                    position[entry.name] = tools.count
                    tools.append(entry)
                }
            }
        }
        // A built-in tool keeps the gateway's hints whatever the editors declare.
        for index in tools.indices { if let builtIn = builtInByName[tools[index].name] { tools[index].readOnly = builtIn.readOnly } }
        return tools + gatewayTools
    }

    /// `tools/list`'s result for `tools`.
    package static func listResult(_ tools: [Entry]) -> [UInt8] {
        let listed = tools.map { entry -> JSONValue in
            [
                "name": .string(entry.name), "description": .string(entry.description), "inputSchema": entry.inputSchema,
                "annotations": [
                    "readOnlyHint": .bool(entry.readOnly), "destructiveHint": .bool(!entry.readOnly && entry.destructive),
                    "openWorldHint": false,
                ],
            ]
        }
        return Array(JSONValue.object(["tools": .array(listed)]).jsonText.utf8)
    }

    /// The argument every editor tool takes besides its own: which editor runs it. The gateway takes it
    /// out before the command reaches the editor.
    static let clientArgument = "client"
    static let clientArgumentSchema: JSONValue = [
        "type": "string",
        // Short: this text is repeated in every editor tool's schema, which every host pays for in tokens.
        "description": "Editor to run this on: client id or unique project name/path prefix (see list_clients). Default: first ready.",
    ]

    /// The argument that lets a call wait for a suitable editor to connect instead of failing.
    static let waitArgument = "wait_seconds"
    static let waitArgumentSchema: JSONValue = [
        "type": "number", "minimum": 0, "maximum": 600,
        "description": "Seconds to wait for an editor that can run this to connect (0: fail at once). Default: only just after start.",
    ]

    /// An addon-declared schema with the optional `client` and `wait_seconds` arguments added.
    static func withClientArgument(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        var properties = members["properties"]?.objectValue ?? [:]
        properties[clientArgument] = clientArgumentSchema
        properties[waitArgument] = waitArgumentSchema
        members["properties"] = .object(properties)
        return .object(members)
    }

    static let emptySchema: JSONValue = [
        "type": "object", "properties": [:], "required": [], "additionalProperties": false,
    ]
}
