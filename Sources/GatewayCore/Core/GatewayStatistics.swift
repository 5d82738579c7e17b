/// Counters since start, for `get_connection_stats`.
public struct GatewayStatistics: Sendable, Equatable {
    public var connectionsAccepted: UInt64 = 0
    public var connectionsRejected: UInt64 = 0
    public var heartbeatRemovals: UInt64 = 0
    public var messagesIn: UInt64 = 0
    public var messagesOut: UInt64 = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var invalidMessages: UInt64 = 0
    public var commandsSent: UInt64 = 0
    public var commandsSucceeded: UInt64 = 0
    public var commandsFailed: UInt64 = 0
    public var commandsTimedOut: UInt64 = 0
    public var commandsCancelled: UInt64 = 0
    public var unmatchedResponses: UInt64 = 0
    /// Answers to pending commands that could not be accepted (too deep, too large, not JSON); each failed its command at once.
    public var answersRefused: UInt64 = 0
    public var rateLimited: UInt64 = 0
    public var slowConsumersDropped: UInt64 = 0

    public init() {}
}
