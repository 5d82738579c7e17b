import Testing
@testable import GatewayCore
@testable import GatewayMCP

@Suite struct ToolCatalogTests {
    @Test func theGeneratedEditorToolsDecodeAndIncludeTheOriginalEleven() {
        let names = Set(ToolCatalog.editorTools.map(\.name))
        let original: Set = [
            "get_scene_tree", "list_nodes", "create_node", "set_node_property", "get_node_properties", "move_node",
            "save_scene", "add_input_action", "remove_input_action", "list_input_actions", "create_collision_shape",
        ]
        #expect(original.isSubset(of: names))
        #expect(names.count == ToolCatalog.editorTools.count, "duplicate tool names")
        for tool in ToolCatalog.all {
            #expect(tool.inputSchema["type"] == "object", "\(tool.name)")
            #expect(!tool.description.isEmpty, "\(tool.name)")
        }
    }

    @Test func gatewayToolsAreNotForwarded() {
        #expect(ToolCatalog.entry(named: "list_clients")?.isGatewayTool == true)
        #expect(ToolCatalog.entry(named: "get_scene_tree")?.isGatewayTool == false)
        #expect(ToolCatalog.entry(named: "create_node")?.inputSchema["required"] == ["node_type", "node_name"])
    }
}
