/// A token bucket: `rate` tokens per second up to `burst`; spending more than is there is refused.
package struct TokenBucket: Sendable, Equatable {
    package let rate: Double
    package let burst: Double
    private var tokens: Double
    private var updatedAt: Double

    package init(rate: Double, burst: Double, now: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        updatedAt = now
    }

    /// Takes `amount` tokens if available; returns false (taking nothing) otherwise.
    package mutating func take(_ amount: Double, now: Double) -> Bool {
        tokens = min(burst, tokens + max(0, now - updatedAt) * rate)
        updatedAt = now
        guard tokens >= amount else { return false }
        tokens -= amount
        return true
    }
}
