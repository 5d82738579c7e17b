/// Several MCP hosts: a gateway process that finds the port held by a running gateway relays its host's
/// calls through it as a `mcp` client (`GatewayServer/Relay`). The owner shares which editors could
/// resume, so that whichever relaying process takes the port over when the owner exits can give the
/// editors their ids back.
extension GatewayCore {
    /// The editors that could resume their ids: ready ones and those inside their resume window.
    package var resumeSnapshot: JSONValue { resumeSnapshot(forCaller: nil, everyone: true) }

    /// Those of them whose owner is `caller` (nil: no token is required), or all of them.
    func resumeSnapshot(forCaller caller: String?, everyone: Bool = false) -> JSONValue {
        var editors: [JSONValue] = []
        for record in registry.unordered where record.type == .godot && record.ready && record.authenticated && !record.resumeToken.isEmpty
            && record.declaresResume && (everyone || record.caller == caller) {
            editors.append(Self.snapshotEntry(record))
        }
        for record in resumeWindows.records where everyone || record.caller == caller { editors.append(Self.snapshotEntry(record)) }
        return .array(editors)
    }

    private static func snapshotEntry(_ record: ClientRecord) -> JSONValue {
        [
            "clientId": .string(record.id), "resumeToken": .string(record.resumeToken),
            "clientVersion": record.clientVersion.map(JSONValue.string) ?? .null,
            "godotVersion": record.godotVersion.map(JSONValue.string) ?? .null,
            "details": .object(record.details),
            "caller": record.caller.map(JSONValue.string) ?? .null,
        ]
    }

    /// Sends each client relaying through this gateway (it said `relay` in identify, which takes full
    /// rights) the resume tokens of the editors of the same caller: a relay takes the port over for its
    /// owner's editors, and another person's tokens are no business of it.
    func shareResumeState() {
        guard !relayClients.isEmpty else { return }
        let relays = relayClients.compactMap { registry[$0] }.filter { $0.type == .mcp && $0.open && $0.details["relay"] != nil && $0.rights == .full }
        for relay in relays {
            send(["type": "resume_state", "editors": resumeSnapshot(forCaller: relay.caller)], to: relay.handle)
        }
    }

    /// After taking the port over: the editors the previous owner knew may resume here, within the
    /// resume window from now. Returns how many were adopted.
    @discardableResult
    package func adoptResumeState(_ editors: JSONValue) -> Int {
        guard settings.resumeWindow > 0, case .array(let entries) = editors else { return 0 }
        let now = clock.monotonicSeconds()
        var adopted = 0
        for entry in entries {
            guard let id = entry["clientId"]?.stringValue, let token = entry["resumeToken"]?.stringValue, !token.isEmpty,
                  registry[id] == nil, resumeWindows[id] == nil else { continue }
            // Built by the registry like any record (sequence, limits), kept aside as departed: no slot.
            var record = registry.makeRecord(
                id: id, type: .godot, request: ConnectionRequest(remoteAddress: "(previous gateway)"), authenticated: true,
                security: security, now: now, nowMs: clock.epochMilliseconds())
            record.ready = true
            record.resumeToken = token
            record.clientVersion = entry["clientVersion"]?.stringValue
            record.godotVersion = entry["godotVersion"]?.stringValue
            record.details = entry["details"]?.objectValue ?? [:]
            record.caller = entry["caller"]?.stringValue.map { String($0.prefix(128)) }
            keepDeparted(record)
            adopted += 1
        }
        if adopted > 0 {
            noteDeadline(now + settings.resumeWindow)
            tellHost(.info, "Took over from the previous gateway: \(adopted) editor(s) may reconnect with their ids.")
        }
        return adopted
    }
}
