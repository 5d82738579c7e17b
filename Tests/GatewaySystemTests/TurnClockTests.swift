import GatewayCore
import Synchronization
import Testing
@testable import GatewaySystem

@Suite struct TurnClockTests {
    /// A clock that moves one second and counts each time it is read.
    final class SteppingClock: GatewayClock {
        let readings = Mutex(0)
        func monotonicSeconds() -> Double { Double(readings.withLock { $0 += 1; return $0 }) }
        func epochMilliseconds() -> Int64 { Int64(readings.withLock { $0 += 1; return $0 }) * 1000 }
    }

    @Test func readingsWithinATurnAreEqualAndANewTurnReadsAgain() {
        let system = SteppingClock()
        let clock = TurnClock(reading: system)
        let first = clock.monotonicSeconds()
        let firstEpoch = clock.epochMilliseconds()
        #expect(clock.monotonicSeconds() == first)
        #expect(clock.epochMilliseconds() == firstEpoch)
        #expect(system.readings.withLock { $0 } == 2)  // one reading of each clock for the whole turn
        clock.startTurn()
        #expect(clock.monotonicSeconds() > first)
        #expect(clock.epochMilliseconds() > firstEpoch)
        #expect(system.readings.withLock { $0 } == 4)
    }
}
