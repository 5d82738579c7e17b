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
        let entry = try #require(ToolCatalog.entry(named: "create_node"))
        #expect(first.isGatewayTool == entry.isGatewayTool && first.isBuiltIn == entry.isBuiltIn)
        #expect(first.readOnly == entry.readOnly && first.returnsImage == entry.returnsImage)
        #expect(first.schema.required == ["node_type", "node_name"])
        let unknown = tools.tool(named: "no_such_tool")
        #expect(unknown == nil)
        #expect(ToolCatalog.calledTool(named: "list_clients")?.isGatewayTool == true)
        #expect(ToolCatalog.calledTool(named: "get_node_properties").map { !$0.isGatewayTool && $0.isBuiltIn && $0.readOnly } == true)
        for entry in ToolCatalog.all {
            let called = ToolCatalog.calledTool(named: entry.name)
            let first = ToolCatalog.entry(named: entry.name)
            #expect(called?.returnsImage == first?.returnsImage && called?.readOnly == first?.readOnly, "\(entry.name)")
        }
    }

    /// The last tool called is kept for the next call; a call naming another finds that one, and an unknown
    /// name after a known one is still unknown.
    @Test func theLastCalledToolServesOnlyItsOwnName() throws {
        var tools = OfferedTools(entries: ToolCatalog.all, listResult: [])
        for name in ["create_node", "create_node", "list_clients", "create_node", "no_such_tool", "list_clients"] {
            let found = tools.tool(named: name)
            let expected = ToolCatalog.calledTool(named: name)
            #expect((found == nil) == (expected == nil), "\(name)")
            #expect(found?.isGatewayTool == expected?.isGatewayTool && found?.schema.required == expected?.schema.required, "\(name)")
        }
        // Equal as Strings is equal as names: a name spelled in another normal form finds the same entry.
        let entries = [ToolCatalog.Entry(name: "caf\u{E9}", description: "", inputSchema: [:], isGatewayTool: true, readOnly: true)]
        var accented = OfferedTools(entries: entries, listResult: [])
        #expect(accented.tool(named: "caf\u{E9}")?.isGatewayTool == true)
        #expect(accented.tool(named: "cafe\u{301}")?.isGatewayTool == true)
        #expect(accented.tool(named: "cafe") == nil)
    }

    @Test func theBuiltInEditorToolsCarryTheGatewaysOwnHints() {
        #expect(ToolCatalog.editorTools.allSatisfy { $0.isBuiltIn })
        #expect(!ToolCatalog.gatewayTools.contains { $0.isBuiltIn })
    }
}
