import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// Finding a called tool by name (`ToolNameIndex`, by length then by comparison) must find what a search
/// in order found: the first entry of that name, or none.
@Suite struct OfferedToolsTests {
    private func entry(_ name: String, readOnly: Bool = false) -> ToolCatalog.Entry {
        ToolCatalog.Entry(name: name, description: "", inputSchema: ["type": "object"], isGatewayTool: false, readOnly: readOnly)
    }

    /// Including names a String compares equal though their bytes differ (canonical equivalence: é and e
    /// with a combining accent; the Kelvin sign and K).
    @Test func theIndexFindsWhatASearchInOrderFinds() {
        let long = String(repeating: "x", count: 100)
        let alsoLong = String(repeating: "y", count: 70)
        let entries = [
            entry("abc"), entry("abd"), entry("abc", readOnly: true), entry(long), entry(alsoLong), entry(""), entry("é"), entry("e"),
            entry("\u{212A}ey"), entry("Key"),
        ]
        let index = ToolNameIndex(entries)
        for name in ["abc", "abd", "abe", "ab", long, alsoLong, long + "x", String(repeating: "x", count: 64), "", "é", "e", "e\u{301}", "Key", "\u{212A}ey", "K"] {
            #expect(index.position(of: name, in: entries) == entries.firstIndex { $0.name == name }, "\(name)")
        }
    }

    @Test func aToolsSchemaIsReadOnceAndServesEveryCall() throws {
        var tools = OfferedTools(entries: ToolCatalog.all, listResult: [])
        let found = tools.tool(named: "create_node")
        let again = tools.tool(named: "create_node")
        let first = try #require(found)
        let second = try #require(again)
        #expect(first.schema === second.schema)
        #expect(first.entry == ToolCatalog.entry(named: "create_node"))
        #expect(first.schema.required == ["node_type", "node_name"])
        let unknown = tools.tool(named: "no_such_tool")
        #expect(unknown == nil)
        #expect(ToolCatalog.calledTool(named: "list_clients")?.entry.isGatewayTool == true)
    }

    @Test func theBuiltInEditorToolsCarryTheGatewaysOwnHints() {
        #expect(ToolCatalog.editorTools.allSatisfy { $0.isBuiltIn })
        #expect(!ToolCatalog.gatewayTools.contains { $0.isBuiltIn })
    }
}
