import GatewayCore
import Synchronization

/// The system clock read at most once per turn of the service loop: every reading between two calls of
/// `startTurn()` gives the same time. A routed call read the clock five or more times (activity, the
/// command's deadline and timestamp, its latency), about 3 % of the gateway's CPU per call in a profile;
/// a turn lasts microseconds, far below any deadline's resolution.
///
/// Only the service thread reads it; the atomics make it `Sendable`, as `GatewayClock` requires, at the
/// cost of plain loads and stores.
package final class TurnClock: GatewayClock {
    private let system: any GatewayClock
    /// The monotonic reading of this turn as a bit pattern; 0 until the turn first asks.
    private let monotonic = Atomic<UInt64>(0)
    /// The wall-clock reading of this turn; `Int64.min` until the turn first asks.
    private let epoch = Atomic<Int64>(.min)

    package init(reading system: any GatewayClock = SystemClock()) {
        self.system = system
    }

    /// Forgets the last turn's time. Called just before the loop waits for work, so the first reading
    /// after the wake-up is fresh.
    package func startTurn() {
        monotonic.store(0, ordering: .relaxed)
        epoch.store(.min, ordering: .relaxed)
    }

    package func monotonicSeconds() -> Double {
        let cached = monotonic.load(ordering: .relaxed)
        if cached != 0 { return Double(bitPattern: cached) }
        let now = system.monotonicSeconds()
        monotonic.store(now.bitPattern, ordering: .relaxed)
        return now
    }

    package func epochMilliseconds() -> Int64 {
        let cached = epoch.load(ordering: .relaxed)
        if cached != .min { return cached }
        let now = system.epochMilliseconds()
        epoch.store(now, ordering: .relaxed)
        return now
    }
}
