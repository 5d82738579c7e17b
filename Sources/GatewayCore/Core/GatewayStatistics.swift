/// Counters since start, for `get_connection_stats`.
package struct GatewayStatistics: Sendable, Equatable {
    package var connectionsAccepted: UInt64 = 0
    package var connectionsRejected: UInt64 = 0
    package var heartbeatRemovals: UInt64 = 0
    package var messagesIn: UInt64 = 0
    package var messagesOut: UInt64 = 0
    package var bytesIn: UInt64 = 0
    package var bytesOut: UInt64 = 0
    package var invalidMessages: UInt64 = 0
    package var commandsSent: UInt64 = 0
    package var commandsSucceeded: UInt64 = 0
    package var commandsFailed: UInt64 = 0
    package var commandsTimedOut: UInt64 = 0
    package var commandsCancelled: UInt64 = 0
    package var unmatchedResponses: UInt64 = 0
    /// Answers to pending commands that could not be accepted (too deep, too large, not JSON); each failed its command at once.
    package var answersRefused: UInt64 = 0
    package var rateLimited: UInt64 = 0
    package var slowConsumersDropped: UInt64 = 0
    /// Clients that reconnected and got their id back, and commands sent to them a second time.
    package var clientsResumed: UInt64 = 0
    package var commandsResent: UInt64 = 0
    /// Calls that waited for an editor, and those whose wait ran out.
    package var callsThatWaited: UInt64 = 0
    package var waitsExpired: UInt64 = 0
    /// Calls sent to another cluster node for its editors, and calls other nodes sent here.
    package var commandsForwarded: UInt64 = 0
    package var commandsFromNodes: UInt64 = 0
    /// Failed commands by `CommandFailure.kind`.
    package var failuresByKind: [String: UInt64] = [:]

    package init() {}

    /// A command sent to an editor, counted with the message that carries it (one access from the core).
    mutating func countCommandSent(bytes: UInt64) {
        commandsSent += 1
        messagesOut += 1
        bytesOut += bytes
    }
}
