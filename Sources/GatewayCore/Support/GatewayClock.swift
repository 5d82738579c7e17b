/// The gateway's notion of time. Deadlines use the monotonic reading; messages carry wall-clock timestamps.
/// Injected (the system's in `GatewaySystem`, a manual one in tests) so heartbeat expiry and command
/// timeouts can be tested without waiting, and the core reads no clock of its own.
package protocol GatewayClock: Sendable {
    /// Seconds on a clock that never jumps (arbitrary origin).
    func monotonicSeconds() -> Double
    /// Milliseconds since the Unix epoch, for the `timestamp` fields of the wire protocol.
    func epochMilliseconds() -> Int64
}
