import Testing
@testable import GatewayCore
@testable import GatewayMCP

@Suite struct ToolsetsTests {
    @Test func everyCatalogToolHasOneSetAndTheRuntimeToolsAreGrouped() {
        for tool in ToolCatalog.editorTools {
            #expect(Toolsets.set(of: tool.name) != Toolsets.other, "\(tool.name) is in no set")
        }
        for tool in ["send_input", "get_game_tree", "get_game_node_properties", "set_game_node_property", "wait_for_game",
                     "get_debugger_state", "continue_game", "get_performance"] {
            #expect(Toolsets.set(of: tool) == "runtime", "\(tool)")
        }
        #expect(Toolsets.set(of: "run_tests") == "tests" && Toolsets.set(of: "instance_scene") == "scene")
        let named = Toolsets.all.flatMap(\.tools)
        #expect(Set(named).count == named.count, "a tool in two sets")
    }

    @Test func anUnknownToolFallsInOtherWhichIsListedByDefault() {
        #expect(Toolsets.set(of: "bake_lightmaps") == Toolsets.other)
        #expect(Toolsets.defaultSelection.contains(Toolsets.other))
    }

    @Test func theListIsOrderedBySetThenNameWhateverTheEditorsOrder() {
        let entries = ToolCatalog.all.reversed().map { $0 }
        let listed = ToolCatalog.listed(entries, toolsets: Set(Toolsets.names)).map(\.name)
        #expect(listed == ToolCatalog.listed(ToolCatalog.all, toolsets: Set(Toolsets.names)).map(\.name))
        #expect(listed.first == "create_scene" && listed.suffix(3) == ["disable_toolset", "enable_toolset", "list_toolsets"])
        #expect(listed.count == ToolCatalog.all.count)
    }

    @Test func theToolsetToolsAreAlwaysListed() {
        let listed = ToolCatalog.listed(ToolCatalog.all, toolsets: []).map(\.name)
        #expect(Set(listed) == Set(Toolsets.alwaysListed))
    }

    @Test func parsingTakesNamesDefaultAndAll() throws {
        #expect(try Toolsets.parse("scene, files").get() == ["scene", "files"])
        #expect(try Toolsets.parse("default,files").get() == Toolsets.defaultSelection.union(["files"]))
        #expect(try Toolsets.parse("all").get() == Set(Toolsets.names))
        #expect((try? Toolsets.parse("scene,wizardry").get()) == nil)
        #expect("\(Toolsets.SelectionError(unknown: "wizardry"))".contains("scene, nodes"))
    }
}
