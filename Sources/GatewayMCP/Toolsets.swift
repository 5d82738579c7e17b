/// Groups of tools a host is shown. Every tool's schema costs the host tokens in every conversation
/// (45 tools were ~39 KB), and some hosts refuse long lists, so `tools/list` shows only the chosen sets;
/// a session changes its choice with `enable_toolset` / `disable_toolset`. The choice only shapes the
/// list: a call to any tool an editor offers still goes through.
package enum Toolsets {
    package struct Set: Sendable, Equatable {
        package let name: String
        package let summary: String
        package let tools: [String]
    }

    /// In the order `tools/list` shows them. A tool named nowhere here (an editor's own command, or one
    /// added to the addon later) belongs to `other`, which is on by default, so it never goes missing.
    package static let all: [Set] = [
        Set(name: "scene", summary: "Open, create, save and inspect scenes; instance scenes.",
            tools: ["get_scene_tree", "get_current_scene", "create_scene", "open_scene", "save_scene", "instance_scene"]),
        Set(name: "nodes", summary: "Create, change, move and inspect nodes and their properties.",
            tools: ["list_nodes", "create_node", "delete_node", "rename_node", "duplicate_node", "move_node", "set_node_property",
                    "get_node_properties", "select_node", "create_collision_shape"]),
        Set(name: "scripts", summary: "Read, create, edit and check GDScript files.",
            tools: ["get_script", "create_script", "edit_script", "validate_script"]),
        Set(name: "editor", summary: "See what the editor shows: its state, output, errors and a screenshot.",
            tools: ["get_editor_state", "get_output", "get_errors", "get_editor_screenshot"]),
        Set(name: "play", summary: "Run the game from the editor and stop it.", tools: ["play_scene", "stop_scene", "get_play_state"]),
        Set(name: "runtime", summary: "Look into the running game and drive it: input, tree, properties, waiting, debugger, performance.",
            tools: ["send_input", "get_game_tree", "get_game_node_properties", "set_game_node_property", "wait_for_game",
                    "get_debugger_state", "continue_game", "get_performance"]),
        Set(name: "tests", summary: "Run the project's tests.", tools: ["run_tests"]),
        Set(name: "resources", summary: "Create resources and set their properties.", tools: ["create_resource", "set_resource_property"]),
        Set(name: "project", summary: "Project settings, information and input actions.",
            tools: ["get_project_info", "get_project_setting", "set_project_setting", "add_input_action", "remove_input_action",
                    "list_input_actions"]),
        Set(name: "files", summary: "List, search and read the project's files.", tools: ["list_files", "search_files", "read_file"]),
        Set(name: "signals", summary: "List, connect and disconnect signals.", tools: ["list_signals", "connect_signal", "disconnect_signal"]),
        Set(name: "gateway", summary: "The gateway itself: connected editors, statistics, picking an editor, scene locks.",
            tools: ["list_clients", "get_connection_stats", "select_client", "lock_scene", "unlock_scene"]),
        Set(name: other, summary: "Editor commands no other set names (an editor's own, or newer than this gateway).", tools: []),
    ]

    package static let other = "other"
    /// The agent's loop: edit (scene, nodes, scripts), run (play), see errors and the screen (editor),
    /// which editor it talks to (gateway), and whatever else editors declare (other). Looking into the
    /// running game (runtime) is one enable_toolset away: its schemas alone cost as much as two sets here.
    package static let defaultSelection: Swift.Set<String> = ["scene", "nodes", "scripts", "editor", "play", "gateway", other]
    /// The tools that change the choice are always listed: without them a host could not get the rest back.
    package static let alwaysListed = ["list_toolsets", "enable_toolset", "disable_toolset"]

    package static let names = all.map(\.name)
    private static let setOfTool: [String: Int] = {
        var map: [String: Int] = [:]
        for (index, set) in all.enumerated() { for tool in set.tools { map[tool] = index } }
        return map
    }()
    private static let otherIndex = all.count - 1

    /// The set `tool` belongs to.
    package static func set(of tool: String) -> String {
        alwaysListed.contains(tool) ? "toolsets" : all[setOfTool[tool] ?? otherIndex].name
    }

    /// Where `tool` sorts in `tools/list`: by set, then by name, so the list does not move when editors
    /// connect in another order (hosts cache it, and prompt caches key on it).
    static func sortKey(_ tool: String) -> Int {
        alwaysListed.contains(tool) ? all.count : setOfTool[tool] ?? otherIndex
    }

    /// Parses `--toolsets`: comma-separated set names, `default` and `all` among them. Unknown names are
    /// a mistake worth stopping for; the error names the sets.
    package static func parse(_ text: String) -> Result<Swift.Set<String>, SelectionError> {
        var chosen: Swift.Set<String> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingSpaces.lowercased()
            switch name {
            case "": continue
            case "all": chosen.formUnion(names)
            case "default": chosen.formUnion(defaultSelection)
            default:
                guard names.contains(name) else { return .failure(SelectionError(unknown: name)) }
                chosen.insert(name)
            }
        }
        return .success(chosen)
    }

    package struct SelectionError: Error, CustomStringConvertible {
        package let unknown: String
        package var description: String {
            "unknown toolset '\(unknown.prefix(50))'; the sets are \(Toolsets.names.joined(separator: ", ")), and 'default' or 'all'"
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
