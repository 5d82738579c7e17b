import GatewayCore

/// The gateway's state as MCP resources: the connected clients, the recent editor events, and each
/// editor's open scene, selection and state as its events reported them.
enum MCPResources {
    static let clients = "godot://clients"
    static let events = "godot://events"

    static func scene(of clientId: String) -> String { "godot://client/\(clientId)/scene" }
    static func selection(of clientId: String) -> String { "godot://client/\(clientId)/selection" }
    static func state(of clientId: String) -> String { "godot://client/\(clientId)/state" }

    /// `resources/list`'s result.
    static func list(core: GatewayCore) -> JSONValue {
        var resources: [JSONValue] = [
            entry(clients, "Connected clients", "Every client connected to the gateway, with its registry fields."),
            entry(events, "Recent editor events", "The last \(100) events editors reported (scene changes, selection, saves, play)."),
        ]
        for editor in core.routableEditors {
            let name = editor.projectName ?? editor.id
            resources.append(entry(scene(of: editor.id), "Open scene in \(name)", "The scene the editor has open."))
            resources.append(entry(selection(of: editor.id), "Selection in \(name)", "The nodes selected in the editor."))
            resources.append(entry(state(of: editor.id), "State of \(name)", "Scene, selection and play state as the editor's events reported them."))
        }
        return ["resources": .array(resources)]
    }

    private static func entry(_ uri: String, _ name: String, _ description: String) -> JSONValue {
        ["uri": .string(uri), "name": .string(name), "description": .string(description), "mimeType": "application/json"]
    }

    /// The content of `uri`, or nil when there is no such resource.
    static func read(_ uri: String, core: GatewayCore) -> JSONValue? {
        if uri == clients { return core.clientsReport }
        if uri == events { return ["events": .array(core.recentEvents.map(\.json))] }
        let prefix = "godot://client/"
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = uri.dropFirst(prefix.count)
        guard let slash = rest.lastIndex(of: "/") else { return nil }
        let id = String(rest[..<slash]), what = rest[rest.index(after: slash)...]
        guard let record = core.registry[id], record.type == .godot else { return nil }
        switch what {
        case "scene": return ["clientId": .string(id), "scene": record.editorState["scene"] ?? .null]
        case "selection": return ["clientId": .string(id), "nodes": record.editorState["selection"] ?? []]
        case "state": return ["clientId": .string(id), "state": .object(record.editorState)]
        default: return nil
        }
    }

    /// The resources an editor event changes.
    static func updated(by event: String, of clientId: String) -> [String] {
        var uris = [events, state(of: clientId)]
        switch event {
        case "scene_changed", "node_added", "node_removed": uris.append(scene(of: clientId))
        case "node_selected": uris.append(selection(of: clientId))
        default: break
        }
        return uris
    }
}
