import FoundationEssentials
import Glibc

/// The gateway's notion of time. Deadlines use the monotonic reading; messages carry wall-clock timestamps.
/// Injected so heartbeat expiry and command timeouts can be tested without waiting.
package protocol GatewayClock: Sendable {
    /// Seconds on a clock that never jumps (arbitrary origin).
    func monotonicSeconds() -> Double
    /// Milliseconds since the Unix epoch, for the `timestamp` fields of the wire protocol.
    func epochMilliseconds() -> Int64
}

/// The real clock: CLOCK_MONOTONIC for deadlines, the system clock for timestamps.
package struct SystemClock: GatewayClock {
    package init() {}

    package func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }

    package func epochMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
