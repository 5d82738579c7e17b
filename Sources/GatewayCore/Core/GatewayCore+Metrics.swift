/// `GET /metrics`: the gateway's counters in the Prometheus text format (version 0.0.4), made from the
/// statistics the core keeps anyway, so metrics cost the hot path nothing beyond one histogram update
/// per answered command.
extension GatewayCore {
    package var prometheusText: String {
        let stats = statistics
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP godot_mcp_\(name) \(help)\n# TYPE godot_mcp_\(name) \(type)\n"
            for sample in samples { text += "godot_mcp_\(name)\(sample.labels) \(sample.value)\n" }
        }
        func one(_ value: UInt64) -> [(labels: String, value: String)] { [("", String(value))] }
        metric("clients", "gauge", "Connected clients by type.", ClientType.allCases.map {
            ("{type=\"\($0.rawValue)\"}", String(registry.count(of: $0)))
        })
        metric("ready_editors", "gauge", "Editors that can take commands.", [("", String(registry.routableCount))])
        metric("connections_accepted_total", "counter", "WebSocket connections accepted.", one(stats.connectionsAccepted))
        metric("connections_rejected_total", "counter", "Connections and requests refused.", one(stats.connectionsRejected))
        metric("messages_total", "counter", "WebSocket messages.", [
            ("{direction=\"in\"}", String(stats.messagesIn)), ("{direction=\"out\"}", String(stats.messagesOut)),
        ])
        metric("bytes_total", "counter", "WebSocket message bytes.", [
            ("{direction=\"in\"}", String(stats.bytesIn)), ("{direction=\"out\"}", String(stats.bytesOut)),
        ])
        metric("commands_sent_total", "counter", "Commands sent to editors.", one(stats.commandsSent))
        metric("commands_total", "counter", "Commands ended, by outcome.", [
            ("{outcome=\"succeeded\"}", String(stats.commandsSucceeded)), ("{outcome=\"failed\"}", String(stats.commandsFailed)),
            ("{outcome=\"cancelled\"}", String(stats.commandsCancelled)),
        ])
        metric("command_errors_total", "counter", "Commands that failed, by kind.",
               stats.failuresByKind.sorted { $0.key < $1.key }.map { ("{kind=\"\($0.key)\"}", String($0.value)) })
        metric("heartbeat_removals_total", "counter", "Clients removed for missing heartbeats.", one(stats.heartbeatRemovals))
        metric("rate_limited_total", "counter", "Messages dropped over a client's rate.", one(stats.rateLimited))
        metric("slow_clients_dropped_total", "counter", "Clients dropped for not reading.", one(stats.slowConsumersDropped))
        metric("invalid_messages_total", "counter", "Messages refused as invalid.", one(stats.invalidMessages))
        metric("resumes_total", "counter", "Editors that reconnected and got their id back.", one(stats.clientsResumed))
        metric("pending_commands", "gauge", "Commands sent and not answered.", [("", String(pendingCommandCount))])
        metric("queue_depth", "gauge", "Calls waiting: behind an editor's others, or for an editor to connect.", [
            ("{queue=\"editor\"}", String(queuedCommandCount)), ("{queue=\"waiting_for_editor\"}", String(waitingCallCount)),
        ])
        text += "# HELP godot_mcp_command_duration_seconds Time from sending a command to its answer.\n"
        text += "# TYPE godot_mcp_command_duration_seconds histogram\n"
        var cumulative: UInt64 = 0
        for (index, bound) in LatencyHistogram.bounds.enumerated() {
            cumulative += commandLatency.counts[index]
            text += "godot_mcp_command_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        text += "godot_mcp_command_duration_seconds_bucket{le=\"+Inf\"} \(commandLatency.count)\n"
        text += "godot_mcp_command_duration_seconds_sum \(commandLatency.sum)\n"
        text += "godot_mcp_command_duration_seconds_count \(commandLatency.count)\n"
        metric("uptime_seconds", "gauge", "Seconds since the gateway started.", [("", String(uptime))])
        return text
    }
}
