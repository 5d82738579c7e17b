import Testing
@testable import GatewayCore

/// A record that left the registry (here: removed for silence, kept for a resume) while its socket is
/// still closing must not reach that socket: its slot is still current until the close is reported.
@Suite struct DepartedRecordHandleTests {
    @Test func aDepartedRecordIsDetached() {
        let harness = CoreHarness()
        let editor = harness.connectEditor()
        harness.clock.advance(by: 61)
        harness.core.tick()
        #expect(harness.core.registry[editor] == nil && harness.core.resumeWindows[editor] != nil)
        #expect(harness.core.resumeWindows[editor]?.record.handle == .detached)
        _ = harness.core.takeEffects()
        if let kept = harness.core.resumeWindows[editor]?.record { harness.core.send(["type": "x"], to: kept.handle) }
        #expect(harness.core.takeEffects().isEmpty)
    }
}
