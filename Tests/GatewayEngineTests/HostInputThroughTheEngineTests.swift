import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The host's stdin as bytes: lines cut wherever reads end, blank lines skipped, the end of input, and
/// backpressure — requests held back (and reading stopped) while the host leaves its answers unread.
@Suite struct HostInputThroughTheEngineTests {
    private func ping(_ id: Int) -> [UInt8] { Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#.utf8) }

    @Test func linesAreCutWhereverReadsEnd() {
        let driver = EngineDriver()
        let bytes = ping(1) + [0x0A, 0x0A, 0x0D, 0x0A] + ping(2) + [0x0D, 0x0A] + ping(3)
        // Three reads that cut the second request and the CRLF apart.
        driver.feed(.hostBytes(Array(bytes[0..<10])))
        driver.feed(.hostBytes(Array(bytes[10..<(bytes.count - 5)])))
        #expect(driver.hostOutput.map { $0["id"] } == [1, 2])
        driver.feed(.hostBytes(Array(bytes[(bytes.count - 5)...])))
        #expect(driver.hostOutput.count == 2)  // the third has no newline yet
        driver.feed(.hostInputEnded)
        #expect(driver.hostOutput.map { $0["id"] } == [1, 2, 3])
    }

    @Test func requestsWaitWhileAnswersPileUpAndReadingStops() throws {
        let driver = EngineDriver(hostBacklogLimit: 50)
        driver.hostReadsAnswers = false
        driver.feed(.hostBytes(ping(1) + [0x0A] + ping(2) + [0x0A] + ping(3) + [0x0A]))
        // One answer (37 bytes) is within the bound, two are over it: the third request waits.
        #expect(driver.hostOutput.map { $0["id"] } == [1, 2])
        #expect(!driver.hostReading)
        driver.feed(.hostBytes(ping(4) + [0x0A]))
        #expect(driver.hostOutput.count == 2)
        driver.hostReadsAnswers = true
        #expect(driver.hostOutput.map { $0["id"] } == [1, 2, 3, 4])
        #expect(driver.hostReading)
    }

    @Test func theEndOfInputWaitsForTheRequestsBeforeIt() {
        let driver = EngineDriver(hostBacklogLimit: 10)
        driver.hostReadsAnswers = false
        driver.feed(.hostBytes(ping(1) + [0x0A] + ping(2) + [0x0A]))
        driver.feed(.hostInputEnded)
        #expect(driver.hostOutput.count == 1)
        #expect(driver.core.phase == .running)  // the second request is not answered yet
        driver.hostReadsAnswers = true
        #expect(driver.hostOutput.map { $0["id"] } == [1, 2])
        #expect(driver.core.phase != .running)  // then the host's leaving is taken
    }
}
