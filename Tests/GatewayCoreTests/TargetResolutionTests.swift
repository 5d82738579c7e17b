import Testing
@testable import GatewayCore

@Suite struct TargetResolutionTests {
    private func editors(_ harness: CoreHarness) -> (String, String, String) {
        func editor(_ name: String, _ path: String) -> String {
            let id = harness.connect(userAgent: "Godot/4.3")
            harness.send(id, #"{"type":"identify","clientType":"godot","projectName":"\#(name)","projectPath":"\#(path)"}"#)
            return id
        }
        return (editor("Game", "/work/game/"), editor("Game Tools", "/work/game-tools/"), editor("Puzzle", "/work/puzzle/"))
    }

    @Test func namesResolveByIdProjectOrPathPrefix() {
        let harness = CoreHarness()
        let (game, tools, puzzle) = editors(harness)
        let routable = harness.core.registry.routableEditors
        #expect(TargetResolution.resolve(puzzle, among: routable) == .found(clientId: puzzle))
        #expect(TargetResolution.resolve("puz", among: routable) == .found(clientId: puzzle))
        #expect(TargetResolution.resolve("GAME TOOLS", among: routable) == .found(clientId: tools))
        #expect(TargetResolution.resolve("game", among: routable) == .found(clientId: game))  // exact name wins
        #expect(TargetResolution.resolve("/work/game-t", among: routable) == .found(clientId: tools))
        guard case .ambiguous(let matches) = TargetResolution.resolve("/work/game", among: routable) else {
            Issue.record("not ambiguous"); return
        }
        #expect(matches.count == 2)
        guard case .unknown(let listed) = TargetResolution.resolve("shooter", among: routable) else {
            Issue.record("not unknown"); return
        }
        #expect(listed.count == 3 && listed.allSatisfy { $0.contains("/work/") })
    }

    @Test func aNamedCallIsRoutedThereAndAnUnknownOneFailsWithTheList() {
        let harness = CoreHarness()
        let (_, _, puzzle) = editors(harness)
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree", target: "puzzle")
        #expect(harness.lastCommandId(sentTo: puzzle) != nil)
        harness.submit("get_scene_tree", target: "shooter")
        guard case .failure(.unknownTarget(let name, let editors))? = harness.outcomes.last else {
            Issue.record("not an unknown-target failure"); return
        }
        #expect(name == "shooter" && editors.count == 3)
    }
}
