import Testing
@testable import GatewayCore

@Suite struct RoutingPolicyTests {
    private func harness(_ policy: RoutingPolicy) -> (CoreHarness, [String]) {
        var settings = GatewaySettings()
        settings.routing = policy
        settings.resumeWindow = 0  // editors that leave are gone (resuming has its own tests)
        let harness = CoreHarness(settings: settings)
        let editors = (0..<3).map { _ in harness.connectEditor() }
        _ = harness.core.takeEffects()
        return (harness, editors)
    }

    private func targets(_ harness: CoreHarness, calls: Int) -> [String] {
        (0..<calls).compactMap { _ in
            harness.submit("get_scene_tree")
            return harness.core.takeEffects().compactMap { effect -> String? in
                if case .send(let id, _) = effect { id } else { nil }
            }.first
        }
    }

    @Test func firstSendsEverythingToTheFirstEditor() {
        let (harness, editors) = harness(.first)
        #expect(targets(harness, calls: 6) == Array(repeating: editors[0], count: 6))
    }

    @Test func roundRobinTakesTurnsAndSkipsAnEditorThatLeft() {
        let (harness, editors) = harness(.roundRobin)
        #expect(targets(harness, calls: 6) == editors + editors)
        harness.core.disconnected(editors[1])
        _ = harness.core.takeEffects()
        #expect(targets(harness, calls: 4) == [editors[0], editors[2], editors[0], editors[2]])
    }

    @Test func leastBusyPrefersTheEditorWithFewestCommandsInFlight() {
        let (harness, editors) = harness(.leastBusy)
        // Nobody answers: each call goes to the editor with the fewest pending, the earliest on ties.
        #expect(targets(harness, calls: 6) == editors + editors)
    }

    @Test func aPinBeatsThePolicyAndAGonePinFallsBackOnlyToASingleEditor() {
        let (harness, editors) = harness(.roundRobin)
        harness.core.pin(editors[2])
        #expect(targets(harness, calls: 3) == Array(repeating: editors[2], count: 3))
        harness.core.disconnected(editors[2])
        _ = harness.core.takeEffects()
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.targetUnavailable(clientId: editors[2])))
        harness.core.disconnected(editors[1])
        _ = harness.core.takeEffects()
        #expect(targets(harness, calls: 1) == [editors[0]])
    }
}
