import Testing
@testable import GatewayCore

@Suite struct CapabilityTests {
    @Test func declaredCommandsAreParsedAndBadOnesSkipped() throws {
        let capabilities = try JSONValue.parse(.init(#"""
        {"commands": [
          {"name": "bake", "description": "d", "inputSchema": {"type": "object"}, "readOnly": true},
          {"name": "bake", "inputSchema": {"type": "object"}},
          {"name": "Bad-Name", "inputSchema": {"type": "object"}},
          {"name": "no_schema"},
          {"name": "array_schema", "inputSchema": {"type": "array"}},
          {"name": "old_style", "input_schema": {"type": "object"}, "read_only": false, "destructive": true}
        ]}
        """#.utf8))
        let tools = OfferedTool.parse(capabilities: capabilities)
        #expect(tools?.map(\.name) == ["bake", "old_style"])
        #expect(tools?.first?.readOnly == true && tools?.last?.destructive == true)
        #expect(OfferedTool.parse(capabilities: nil) == nil)
        #expect(OfferedTool.parse(capabilities: ["other": 1]) == nil)
    }

    private func connect(_ harness: CoreHarness, commands: [String]?) -> String {
        let id = harness.connect(userAgent: "Godot/4.3")
        let capabilities = commands.map { names in
            #","capabilities":{"commands":["# + names.map { #"{"name":"\#($0)","inputSchema":{"type":"object"}}"# }.joined(separator: ",") + "]}"
        } ?? ""
        harness.send(id, #"{"type":"identify","clientType":"godot"\#(capabilities)}"#)
        return id
    }

    @Test func callsGoOnlyToEditorsThatOfferTheTool() {
        let harness = CoreHarness()
        let original = connect(harness, commands: nil)
        let project = connect(harness, commands: ["bake"])
        _ = harness.core.takeEffects()
        harness.submit("bake")
        #expect(harness.lastCommandId(sentTo: project) != nil)
        harness.submit("get_scene_tree")
        #expect(harness.lastCommandId(sentTo: original) != nil)
        harness.submit("delete_node")
        guard case .failure(.noEditorOffers(let tool, let editors))? = harness.outcomes.last else {
            Issue.record("expected noEditorOffers, got \(String(describing: harness.outcomes.last))")
            return
        }
        #expect(tool == "delete_node" && editors.count == 2)
        harness.submit("bake", target: original)
        #expect(harness.outcomes.last?.failureKind == "tool_not_offered")
    }

    @Test func changesOfTheEditorsCommandsAreReportedOnceTheySettle() {
        let harness = CoreHarness()
        _ = connect(harness, commands: ["a"])
        let second = connect(harness, commands: ["b"])
        _ = harness.core.takeEffects()
        harness.core.tick()
        #expect(!harness.core.takeEffects().contains(.toolsChanged))
        harness.clock.advance(by: 0.25)
        harness.core.tick()
        #expect(harness.core.takeEffects().filter { $0 == .toolsChanged }.count == 1)
        harness.core.disconnected(second)
        harness.clock.advance(by: 0.25)
        harness.core.tick()
        #expect(harness.core.takeEffects().contains(.toolsChanged))
    }
}

extension CommandOutcome {
    var failureKind: String? {
        if case .failure(let failure) = self { failure.kind } else { nil }
    }
}
