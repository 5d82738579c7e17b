/// What editors report happening in them (`{"type":"event","event":…,"data":{…}}`), kept as each
/// editor's latest state and fanned out to the clients that subscribed.
package struct EditorEvent: Sendable, Equatable {
    package let clientId: String
    package let name: String
    package let data: JSONValue
    package let timestampMs: Int64

    package static let names: Set<String> = [
        "scene_changed", "node_selected", "script_saved", "node_added", "node_removed", "play_started", "play_stopped",
    ]
    static let maximumDataBytes = 16 * 1024
    /// How many recent events the gateway keeps (the `godot://events` resource).
    static let kept = 100

    package var json: JSONValue {
        ["type": "event", "clientId": .string(clientId), "event": .string(name), "data": data, "timestamp": .int(timestampMs)]
    }
}

/// An advisory lock an MCP session holds on a scene: other sessions' editing calls on it are refused.
package struct SceneLock: Sendable, Equatable {
    package let scene: String
    package let session: String
    /// Who holds it, as the holder's MCP host named itself.
    package let holder: String
    package var expires: Double
}

extension ClientRecord {
    /// The scene the editor has open, as its last `scene_changed` said.
    package var currentScene: String? { editorState["scene"]?.stringValue }
}
