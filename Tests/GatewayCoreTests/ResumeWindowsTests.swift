import Testing
@testable import GatewayCore

/// The resume windows on their own: keeping a dropped editor, finding it by token or hash, the grace
/// ending before the window, and used tokens refused until their window passes.
@Suite struct ResumeWindowsTests {
    private func editor(_ id: String, token: String, hash: String? = nil) -> ClientRecord {
        var registry = ClientRegistry()
        var record = registry.makeRecord(
            id: id, type: .godot, request: ConnectionRequest(remoteAddress: "127.0.0.1"), authenticated: true,
            security: SecuritySettings(), now: 0, nowMs: 0)
        record.resumeToken = token
        record.resumeTokenHash = hash
        record.inFlightCommands = [1, 2]
        return record
    }

    @Test func aKeptEditorIsFoundByItsTokenOrHashAndNothingElse() {
        var windows = ResumeWindows()
        #expect(windows.soleID == nil && windows.nextDeadline == .infinity)
        let first = windows.keep(editor("b", token: "token-b", hash: "hash-b"), now: 10, window: 60, grace: 5)
        #expect(first == 15 && windows.nextDeadline == 15)
        #expect(windows.soleID == "b")
        _ = windows.keep(editor("a", token: "token-a"), now: 10, window: 60, grace: 5)
        #expect(windows.soleID == nil && windows.records.map(\.id) == ["a", "b"])
        #expect(windows.record(presenting: "token-a")?.id == "a")
        #expect(windows.record(presenting: "token-") == nil && windows.record(presenting: "hash-b") == nil)
        #expect(windows.record(withTokenHash: "hash-b")?.id == "b" && windows.record(withTokenHash: "token-b") == nil)
        windows.forgetInFlight(1, of: "a")
        #expect(windows["a"]?.record.inFlightCommands == [2])
        #expect(windows.remove("a")?.record.id == "a" && windows.count == 1)
    }

    @Test func theGraceEndsFirstThenTheWindowCloses() {
        var windows = ResumeWindows()
        _ = windows.keep(editor("a", token: "t"), now: 0, window: 60, grace: 5)
        #expect(windows.expire(now: 4).graceEnded.isEmpty)
        let graceOver = windows.expire(now: 5)
        #expect(graceOver.graceEnded.map(\.record.id) == ["a"] && graceOver.closed.isEmpty)
        // Still kept (its id is reserved), its grace over for good.
        #expect(windows["a"]?.graceEnds == nil && windows.nextDeadline == 60)
        #expect(windows.expire(now: 30).graceEnded.isEmpty)
        let closed = windows.expire(now: 60)
        #expect(closed.closed.map(\.record.id) == ["a"] && windows.isEmpty)
    }

    @Test func bothEndingAtOnceReportTheGraceAndTheClose() {
        var windows = ResumeWindows()
        _ = windows.keep(editor("a", token: "t"), now: 0, window: 5, grace: 5)
        let expired = windows.expire(now: 5)
        #expect(expired.graceEnded.count == 1 && expired.closed.count == 1 && windows.isEmpty)
    }

    @Test func aUsedTokenIsRefusedUntilItsWindowWouldHaveClosed() {
        var windows = ResumeWindows()
        windows.consume("used", until: 100)
        #expect(windows.wasConsumed("used", now: 99) && !windows.wasConsumed("other", now: 99))
        #expect(!windows.wasConsumed("used", now: 100))
        _ = windows.expire(now: 100)
        #expect(!windows.wasConsumed("used", now: 0))
    }
}
