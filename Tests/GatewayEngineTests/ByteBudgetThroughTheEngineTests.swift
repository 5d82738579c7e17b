import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The per-client byte budget through the engine (was test_backpressure.py's first two cases; a host that
/// stops reading its stdout pipe stays there): answers the gateway asked for are exempt, unsolicited
/// traffic pays. The clock stands still, so no budget refills while the bytes arrive.
@Suite struct ByteBudgetThroughTheEngineTests {
    /// `--byte-rate-limit N`: N bytes a second, a burst of 2N.
    func driver(byteRate: Double) -> EngineDriver {
        var security = SecuritySettings()
        security.bytesPerSecond = byteRate
        security.byteBurst = byteRate * 2
        return .ready(security: security) { $0.commandTimeout = 120 }
    }

    /// 32 answers of 20 KB (640 KB) with no time passing, against a budget of 100 KB/s (200 KB burst):
    /// answers the gateway asked for are exempt, so every call succeeds and the editor stays connected.
    /// (The Python test sent 300 answers of 100 KB against 1 MB/s over real time; with the clock standing
    /// still, three times the burst shows the same, at a tenth of the JSON a debug build must parse.)
    @Test func aBusyEditorAnsweringLargeResultsIsNotRateLimited() {
        let driver = driver(byteRate: 100_000)
        let editor = driver.connectAddonEditor()
        let result = #"{"tree":"\#(String(repeating: "n", count: 20_000))"}"#
        var answered = 0
        for _ in 0..<2 {  // 16 in flight at a time, as the Python test sent them
            let calls = (0..<16).map { _ in driver.callTool("get_scene_tree") }
            for command in driver.commands(to: editor) {
                guard let id = command["id"]?.stringValue else { continue }
                driver.clientSendsText(editor, #"{"id":"\#(id)","success":true,"result":\#(result),"error":null}"#)
            }
            for call in calls where driver.toolResult(call)?.isError == false { answered += 1 }
        }
        #expect(answered == 32)
        #expect(driver.closes[editor] == nil)
        #expect(!driver.messages(to: editor).contains { $0["type"] == "error" })
        #expect(driver.connectionStats["rateLimitedMessages"] == 0)
    }

    @Test func unsolicitedTrafficStillPaysTheByteBudget() {
        let driver = driver(byteRate: 100_000)
        let editor = driver.connectAddonEditor()
        for _ in 0..<3 {  // 300 KB of heartbeats padded with a field, against a 200 KB burst
            driver.clientSends(editor, ["type": "heartbeat", "timestamp": 1, "padding": .string(String(repeating: "p", count: 100_000))])
        }
        let errors = driver.messages(to: editor).filter { $0["type"] == "error" }
        #expect(errors.first?["code"] == "rate_limited")
    }
}
