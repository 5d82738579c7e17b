/// The read-only views of the core that the MCP tools and /health return.
extension GatewayCore {
    /// `GET /health`.
    package var healthReport: JSONValue {
        [
            "status": phase == .running ? "ok" : "shutting_down",
            "version": .string(settings.gatewayVersion),
            "clients": .int(Int64(registry.count)),
            "uptime": .double(rounded(uptime)),
            "cluster": clusterReport,
        ]
    }

    /// `list_clients`: every client with its registry fields, in connection order.
    package var clientsReport: JSONValue {
        let remote = routableEditors.filter { $0.node != nil }
        return ["count": .int(Int64(registry.count + remote.count)), "clients": .array((registry.all + remote).map(\.summary))]
    }

    /// `get_connection_stats`: the original's client counts plus the gateway's counters.
    package var statisticsReport: JSONValue {
        let stats = statistics
        func number(_ value: UInt64) -> JSONValue { .int(Int64(clamping: value)) }
        return [
            "totalClients": .int(Int64(registry.count)),
            "godotClients": .int(Int64(registry.count(of: .godot))),
            "mcpClients": .int(Int64(registry.count(of: .mcp))),
            "unknownClients": .int(Int64(registry.count(of: .unknown))),
            "readyGodotClients": .int(Int64(registry.all.filter { $0.type == .godot && $0.ready }.count)),
            "connectionsAccepted": number(stats.connectionsAccepted),
            "connectionsRejected": number(stats.connectionsRejected),
            "heartbeatRemovals": number(stats.heartbeatRemovals),
            "answersRefused": number(stats.answersRefused),
            "commandsCancelled": number(stats.commandsCancelled),
            "messagesIn": number(stats.messagesIn),
            "messagesOut": number(stats.messagesOut),
            "bytesIn": number(stats.bytesIn),
            "bytesOut": number(stats.bytesOut),
            "invalidMessages": number(stats.invalidMessages),
            "commandsSent": number(stats.commandsSent),
            "commandsSucceeded": number(stats.commandsSucceeded),
            "commandsFailed": number(stats.commandsFailed),
            "commandsTimedOut": number(stats.commandsTimedOut),
            "unmatchedResponses": number(stats.unmatchedResponses),
            "rateLimitedMessages": number(stats.rateLimited),
            "slowClientsDropped": number(stats.slowConsumersDropped),
            "pendingCommands": .int(Int64(pendingCommandCount)),
            "queuedCommands": .int(Int64(queuedCommandCount)),
            "callsWaitingForEditor": .int(Int64(waitingCallCount)),
            "callsThatWaited": number(stats.callsThatWaited),
            "waitsExpired": number(stats.waitsExpired),
            "clientsResumed": number(stats.clientsResumed),
            "commandsResent": number(stats.commandsResent),
            "editorsAwaitingReconnect": .int(Int64(resumeWindows.count)),
            "role": .string(role.name),
            "takeovers": number(takeovers),
            "relayingGateways": .int(Int64(registry.unordered.filter { $0.type == .mcp && $0.details["relay"] != nil }.count)),
            "commandsForwarded": number(stats.commandsForwarded),
            "commandsFromNodes": number(stats.commandsFromNodes),
            "cluster": clusterReport,
            "uptime": .double(rounded(uptime)),
        ]
    }

    private func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
