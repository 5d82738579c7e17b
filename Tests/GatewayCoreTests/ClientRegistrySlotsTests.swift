import Testing
@testable import GatewayCore

/// The registry's slots: a freed slot is used again under a new generation, so a handle of the
/// connection that held it before finds nothing; connection order and the index by id stay right through
/// removal, reuse and the move of a resumed record into another connection's slot.
@Suite struct ClientRegistrySlotsTests {
    private func add(_ registry: inout ClientRegistry, _ id: String, address: String = "127.0.0.1", authenticated: Bool = true) -> ClientHandle {
        registry.add(
            id: id, type: .godot, request: ConnectionRequest(remoteAddress: address), authenticated: authenticated,
            security: SecuritySettings(), now: 0, nowMs: 0)
    }

    @Test func aReleasedSlotIsUsedAgainAndTheStaleHandleMissesIt() {
        var registry = ClientRegistry()
        let first = add(&registry, "a")
        let second = add(&registry, "b")
        #expect(first != second && registry[first]?.id == "a" && registry[second]?.handle == second)
        #expect(registry.release(first)?.id == "a")
        let third = add(&registry, "c")
        #expect(third.slot == first.slot && third.generation != first.generation)
        #expect(registry[first] == nil && registry.id(of: first) == nil && !registry.isOpen(first))
        #expect(registry[third]?.id == "c" && registry.isOpen(third))
        // Changes and a second release through the stale handle touch nothing.
        registry.update(first) { $0.ready = true }
        #expect(registry[third]?.ready == false)
        #expect(registry.release(first) == nil && registry[third] != nil && registry.count == 2)
    }

    @Test func aRemovedRecordKeepsItsSlotUntilReleased() {
        var registry = ClientRegistry()
        let closing = add(&registry, "a")
        #expect(registry.remove(closing)?.id == "a")
        #expect(registry[closing] == nil && registry.handle(of: "a") == nil && registry.count == 0)
        // Its socket is still closing: a newcomer gets another slot.
        let newcomer = add(&registry, "b")
        #expect(newcomer.slot != closing.slot)
        #expect(registry.release(closing) == nil)  // the record had left already
        #expect(add(&registry, "c").slot == closing.slot)
    }

    @Test func connectionOrderSurvivesSlotReuse() {
        var registry = ClientRegistry()
        let first = add(&registry, "a")
        _ = add(&registry, "b")
        registry.release(first)
        _ = add(&registry, "c")  // in a's slot, connected last
        #expect(registry.all.map(\.id) == ["b", "c"])
        for handle in [registry.handle(of: "b"), registry.handle(of: "c")].compactMap({ $0 }) {
            registry.update(handle) {
                $0.ready = true
                $0.offeredTools = nil
            }
        }
        #expect(registry.firstReadyGodotClient()?.id == "b")
        #expect(registry.routableEditors.map(\.id) == ["b", "c"] && registry.routableCount == 2)
        #expect(Set(registry.unordered.map(\.id)) == ["b", "c"])
    }

    @Test func theIndexFollowsRemoveRestoreAndResume() {
        var registry = ClientRegistry()
        let old = add(&registry, "editor", address: "10.0.0.1")
        let fresh = add(&registry, "newcomer", address: "10.0.0.2")
        // The editor drops (its slot freed), the newcomer resumes its id: the old record moves into the
        // newcomer's slot, which the newcomer's own record leaves.
        guard var departed = registry.release(old) else { Issue.record("not registered"); return }
        #expect(registry.handle(of: "editor") == nil)
        registry.remove(fresh)
        departed.remoteAddress = "10.0.0.2"
        let restored = registry.restore(departed, at: fresh)
        #expect(restored)
        #expect(registry.handle(of: "editor") == fresh && registry.handle(of: "newcomer") == nil)
        #expect(registry[fresh]?.id == "editor" && registry[fresh]?.handle == fresh)
        #expect(registry.count == 1 && registry.count(fromAddress: "10.0.0.2") == 1 && registry.count(fromAddress: "10.0.0.1") == 0)
        // A slot that holds a record, or one freed since, takes no other.
        let intoTaken = registry.restore(departed, at: fresh), intoFreed = registry.restore(departed, at: old)
        #expect(!intoTaken && !intoFreed)
    }

    @Test func theUnauthenticatedPoolAndAddressCountsFollowSlots() {
        var registry = ClientRegistry()
        let waiting = add(&registry, "a", address: "10.0.0.9", authenticated: false)
        _ = add(&registry, "b", address: "10.0.0.9")
        #expect(registry.unauthenticated.map(\.id) == ["a"] && registry.authenticatedCount == 1)
        #expect(registry.authenticatedCount(fromAddress: "10.0.0.9") == 1 && registry.count(fromAddress: "10.0.0.9") == 2)
        registry.markAuthenticated(waiting)
        #expect(registry.unauthenticated.isEmpty && registry.isAuthenticated(waiting) == true)
        let late = add(&registry, "c", address: "10.0.0.9", authenticated: false)
        registry.release(late)
        #expect(registry.unauthenticated.isEmpty && registry.count(fromAddress: "10.0.0.9") == 2)
    }

    /// Through the core: a client removed for silence keeps its slot while its socket closes; the socket's
    /// late close frees it; the next connection in that slot is not touched by the old one's late events.
    @Test func aLateEventOfAConnectionWhoseSlotMovedOnFindsNobody() {
        var settings = GatewaySettings()
        settings.resumeWindow = 0
        let harness = CoreHarness(settings: settings)
        let silent = harness.connectEditor()
        let old = harness.handle(silent)
        harness.clock.advance(by: 61)
        harness.core.tick()
        #expect(harness.core.registry[silent] == nil)
        let meanwhile = harness.handle(harness.connectEditor())
        #expect(meanwhile.slot != old.slot)  // the closing socket still holds its slot
        harness.core.disconnected(old)  // its socket is gone now
        let reused = harness.connectEditor()
        let handle = harness.handle(reused)
        #expect(handle.slot == old.slot && handle != old)
        _ = harness.core.takeEffects()
        harness.core.receive(old, text: Array(#"{"type":"heartbeat","timestamp":1}"#.utf8))
        harness.core.noteActivity(old)
        harness.core.disconnected(old)
        #expect(harness.core.takeEffects().isEmpty)
        #expect(harness.core.registry[handle]?.id == reused && harness.core.registry[reused]?.ready == true)
    }
}
