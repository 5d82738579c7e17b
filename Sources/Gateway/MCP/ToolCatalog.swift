/// The MCP tools the gateway offers. The editor tools keep the original server's names and input schemas
/// and are forwarded as commands of the same name; the gateway tools are answered by the gateway itself.
public enum ToolCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var description: String
        public var inputSchema: JSONValue
        /// True for tools answered by the gateway rather than forwarded to an editor.
        public var isGatewayTool: Bool
        public var readOnly: Bool
    }

    static func schema(_ properties: [String: JSONValue], required: [String] = [], additional: Bool = false) -> JSONValue {
        [
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map(JSONValue.string)),
            "additionalProperties": .bool(additional),
        ]
    }

    static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }
    static func number(_ description: String) -> JSONValue { ["type": "number", "description": .string(description)] }
    static func boolean(_ description: String) -> JSONValue { ["type": "boolean", "description": .string(description)] }

    public static let editorTools: [Entry] = [
        Entry(name: "get_scene_tree", description: "Get the node tree of the scene open in the Godot editor.",
              inputSchema: schema([:]), isGatewayTool: false, readOnly: true),
        Entry(name: "list_nodes", description: "List the children of a node (the scene root when no path is given).",
              inputSchema: schema(["node_path": string("Path of the node whose children to list, e.g. /root/Main/Player")]),
              isGatewayTool: false, readOnly: true),
        Entry(name: "create_node", description: "Create a node of a given type in the open scene.",
              inputSchema: schema([
                  "node_type": string("Godot class of the new node, e.g. Sprite2D"),
                  "node_name": string("Name of the new node"),
                  "parent_path": string("Path of the parent node (default: the scene root)"),
                  "properties": ["type": "object", "description": "Initial property values by property name"],
              ], required: ["node_type", "node_name"]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "set_node_property", description: "Set one property of a node.",
              inputSchema: schema([
                  "node_path": string("Path of the node"),
                  "property_name": string("Name of the property, e.g. position"),
                  "value": ["description": "New value (JSON; converted to the property's Godot type)"],
              ], required: ["node_path", "property_name", "value"]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "get_node_properties", description: "Get the properties of a node.",
              inputSchema: schema(["node_path": string("Path of the node")], required: ["node_path"]),
              isGatewayTool: false, readOnly: true),
        Entry(name: "move_node", description: "Move a 2D or 3D node to a position.",
              inputSchema: schema([
                  "node_path": string("Path of the node"),
                  "x": number("X coordinate"),
                  "y": number("Y coordinate"),
              ], required: ["node_path", "x", "y"]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "save_scene", description: "Save the open scene, optionally under a new res:// path.",
              inputSchema: schema(["path": string("Where to save, e.g. res://scenes/main.tscn")]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "add_input_action", description: "Add an input action to the project's input map with its keys.",
              inputSchema: schema([
                  "action_name": string("Name of the action, e.g. jump"),
                  "keys": ["type": "array", "items": ["type": "string"], "description": "Key names, e.g. [\"Space\", \"W\"]"],
              ], required: ["action_name", "keys"]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "remove_input_action", description: "Remove an input action from the project's input map.",
              inputSchema: schema([
                  "action_name": string("Name of the action"),
                  "persistent": boolean("Also remove it from project.godot"),
              ], required: ["action_name"]),
              isGatewayTool: false, readOnly: false),
        Entry(name: "list_input_actions", description: "List the project's input actions and their events.",
              inputSchema: schema(["include_persistent": boolean("Include actions saved in project.godot")]),
              isGatewayTool: false, readOnly: true),
        Entry(name: "create_collision_shape", description: "Add a collision shape of a given type to a physics body.",
              inputSchema: schema([
                  "node_path": string("Path of the physics body"),
                  "shape_type": string("Shape, e.g. rectangle, circle, capsule, box, sphere"),
              ], required: ["node_path", "shape_type"], additional: true),
              isGatewayTool: false, readOnly: false),
    ]

    public static let gatewayTools: [Entry] = [
        Entry(name: "list_clients", description: "List every client connected to the gateway (editors and others) with their registry fields.",
              inputSchema: schema([:]), isGatewayTool: true, readOnly: true),
        Entry(name: "get_connection_stats", description: "Connection and command statistics of the gateway since it started.",
              inputSchema: schema([:]), isGatewayTool: true, readOnly: true),
    ]

    public static let all: [Entry] = editorTools + gatewayTools

    public static func entry(named name: String) -> Entry? {
        all.first { $0.name == name }
    }
}
