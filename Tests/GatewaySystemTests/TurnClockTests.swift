import Testing
@testable import GatewaySystem

@Suite struct TurnClockTests {
    @Test func readingsWithinATurnAreEqualAndANewTurnReadsAgain() async throws {
        let clock = TurnClock()
        let first = clock.monotonicSeconds()
        let firstEpoch = clock.epochMilliseconds()
        try await Task.sleep(for: .milliseconds(5))
        #expect(clock.monotonicSeconds() == first)
        #expect(clock.epochMilliseconds() == firstEpoch)
        clock.startTurn()
        #expect(clock.monotonicSeconds() >= first + 0.004)
        #expect(clock.epochMilliseconds() >= firstEpoch + 4)
    }
}
