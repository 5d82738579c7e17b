import FoundationEssentials
import GatewayCore
import Glibc

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
