/// How a routed command ended. Every command ends exactly once, in one of these.
package enum CommandOutcome: Sendable, Equatable {
    case success(result: JSONText, clientId: String)
    case failure(CommandFailure)
}

/// Why a command produced no result, phrased for the person reading the MCP host's transcript.
package enum CommandFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case noGodotClient
    case targetUnavailable(clientId: String)
    /// The call named an editor that no connected editor matches, or that several match.
    case unknownTarget(name: String, editors: [String])
    case ambiguousTarget(name: String, matches: [String])
    case clientDisconnected(clientId: String)
    /// Editors are connected, but none of them runs this tool (the one named, or any).
    case toolNotOffered(tool: String, editor: String)
    case noEditorOffers(tool: String, editors: [String])
    /// The call waited for a suitable editor, and none came in time.
    case waitedInVain(seconds: Double, reason: String)
    case tooManyWaiting(limit: Int)
    /// Another MCP session holds an advisory lock on the scene this call would change.
    case sceneLocked(scene: String, holder: String)
    /// The call waited for an editor that had dropped, and it did not come back in time.
    case editorNotBack(clientId: String, seconds: Double)
    case timedOut(seconds: Double, clientId: String)
    case editorError(message: String, clientId: String)
    /// The editor answered, but its answer could not be accepted.
    case answerRefused(reason: String, clientId: String)
    /// The cluster node the editor is on left, or did not answer in time.
    case nodeLost(node: String, clientId: String)
    /// Another cluster node ran the call and it failed there; its reason, as that node phrased it.
    case remote(kind: String, message: String, clientId: String)
    case shuttingDown
    case gatewayStopped
    case tooManyCommands(limit: Int)
    case invalidArguments(String)
    /// A caller with read-only rights asked an editor for a tool that editor (or the gateway, for a
    /// built-in tool) does not hold read-only.
    case readOnlyCaller(caller: String, tool: String, clientId: String?)

    package var description: String {
        switch self {
        case .noGodotClient:
            "No Godot editor is connected to the gateway. Open the project in Godot with the MCP addon enabled "
                + "and wait until it shows as connected, then try again."
        case .targetUnavailable(let id):
            "The Godot editor \(id) is not connected or not ready."
        case .unknownTarget(let name, let editors):
            "No connected Godot editor matches client '\(name.prefix(100))'. "
                + (editors.isEmpty ? "No editor is connected." : "Connected editors: " + editors.joined(separator: "; ") + ".")
        case .ambiguousTarget(let name, let matches):
            "Several Godot editors match client '\(name.prefix(100))': " + matches.joined(separator: "; ")
                + ". Name one by its id or a longer prefix."
        case .clientDisconnected(let id):
            "The Godot editor \(id) disconnected before it answered; the command may or may not have run."
        case .toolNotOffered(let tool, let editor):
            "The Godot editor \(editor) does not offer the tool '\(tool.prefix(100))' (its addon does not declare that command)."
        case .noEditorOffers(let tool, let editors):
            "No connected Godot editor offers the tool '\(tool.prefix(100))'. Connected editors: " + editors.joined(separator: "; ")
                + ". Open a project whose addon declares it, or update the addon."
        case .waitedInVain(let seconds, let reason):
            "Waited \(Self.format(seconds)) s for a Godot editor that could take this call; none came. \(reason)"
        case .sceneLocked(let scene, let holder):
            "The scene \(scene.prefix(200)) is locked by \(holder.prefix(100)) (lock_scene); wait until they unlock it, or work on another scene."
        case .tooManyWaiting(let limit):
            "Too many calls are waiting for an editor to connect (limit \(limit), see --max-queued); try again when one is connected."
        case .editorNotBack(let id, let seconds):
            "The Godot editor \(id) disconnected and did not reconnect within \(Self.format(seconds)) s; the command was not sent."
        case .timedOut(let seconds, let id):
            "The Godot editor \(id) did not answer within \(Self.format(seconds)) s; the command may still run."
        case .editorError(let message, _):
            "The Godot editor reported an error: \(message)"
        case .answerRefused(let reason, let id):
            "The Godot editor \(id) answered, but the editor's answer was refused: \(reason)"
        case .nodeLost(let node, let id):
            "The gateway node \(node) that the Godot editor \(id) is connected to left the cluster or did not answer; "
                + "the command may or may not have run."
        case .remote(_, let message, _):
            message
        case .shuttingDown:
            "The gateway is shutting down and accepts no new commands."
        case .gatewayStopped:
            "The gateway's WebSocket server is not running."
        case .tooManyCommands(let limit):
            "Too many commands are waiting for editors (limit \(limit)); wait for some to finish."
        case .invalidArguments(let problem):
            "Invalid arguments: \(problem)"
        case .readOnlyCaller(let caller, let tool, let id):
            "\(caller) may only use tools that read; \(tool) changes the project\(id.map { " on Godot editor \($0)" } ?? "")."
        }
    }

    /// A short machine-readable kind, for statistics and structured results.
    package var kind: String {
        switch self {
        case .noGodotClient: "no_godot_client"
        case .targetUnavailable: "target_unavailable"
        case .unknownTarget: "unknown_target"
        case .ambiguousTarget: "ambiguous_target"
        case .clientDisconnected: "client_disconnected"
        case .editorNotBack: "editor_not_back"
        case .toolNotOffered: "tool_not_offered"
        case .noEditorOffers: "no_editor_offers_tool"
        case .waitedInVain: "waited_in_vain"
        case .tooManyWaiting: "too_many_waiting"
        case .sceneLocked: "scene_locked"
        case .timedOut: "timeout"
        case .editorError: "editor_error"
        case .answerRefused: "answer_refused"
        case .nodeLost: "node_lost"
        case .remote(let kind, _, _): kind
        case .shuttingDown: "shutting_down"
        case .gatewayStopped: "gateway_stopped"
        case .tooManyCommands: "too_many_commands"
        case .invalidArguments: "invalid_arguments"
        case .readOnlyCaller: "read_only_caller"
        }
    }

    /// The editor concerned, when there is one.
    package var clientId: String? {
        switch self {
        case .targetUnavailable(let id), .clientDisconnected(let id), .editorNotBack(let id, _), .timedOut(_, let id), .editorError(_, let id),
            .answerRefused(_, let id), .nodeLost(_, let id), .remote(_, _, let id): id
        case .readOnlyCaller(_, _, let id): id
        default: nil
        }
    }

    /// Whether a suitable editor could still connect and take the call (so it may wait for one).
    var anEditorMayCome: Bool {
        switch self {
        case .noGodotClient, .noEditorOffers, .unknownTarget: true
        default: false
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
