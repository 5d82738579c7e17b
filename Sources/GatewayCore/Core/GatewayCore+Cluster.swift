
/// Several gateways as one cluster (`--cluster`): every node sees every node's editors (presence) and
/// sends a call for another node's editor to that node, which runs it as its own and answers. The
/// broker link lives in the socket layer; this is the bookkeeping, so it is tested without one.
extension GatewayCore {
    /// Joins a cluster as `settings.node`. Without it the core never produces a cluster effect.
    /// `hash` turns a resume token into what the presence publishes (the token itself never leaves).
    package func joinCluster(_ settings: ClusterSettings, hash: @escaping (String) -> String) {
        cluster = ClusterState(node: settings.node, presenceTTL: settings.presenceTTL)
        tokenHash = hash
    }

    package var clusterNode: String? { cluster?.node }

    /// Whether this node's editors changed since it last published its presence; clears the flag.
    package func takePresenceChange() -> Bool {
        cluster?.takePresenceChange() ?? false
    }

    /// This node's presence: its ready editors, for the cluster's key-value bucket, in parts of at most
    /// `partBudget` bytes (a key each).
    package func localPresence(partBudget: Int = ClusterPresence.partBudget) -> [JSONValue] {
        let resumable = settings.resumeWindow > 0
        // This node's own editors that dropped and may resume (not those kept for other nodes' sake).
        let reconnecting = resumeWindows.records.filter { $0.node == nil }
        return ClusterPresence.encode(
            node: cluster?.node ?? "", editors: registry.routableEditors, reconnecting: reconnecting, epochMs: clock.epochMilliseconds(),
            budget: partBudget,
            resumeHash: { record in
                resumable && record.declaresResume && !record.resumeToken.isEmpty ? self.tokenHash?(record.resumeToken) : nil
            })
    }

    /// Whether the link to the cluster's broker is up.
    package var isClusterConnected: Bool { cluster?.connected ?? false }

    /// The broker link went up or down (reported in /health and the stats; presence is republished).
    package func clusterLink(connected: Bool) {
        guard cluster != nil else { return }
        cluster?.connected = connected
        // Published again in the parts this server takes (hosts are told of tools only if they changed).
        if connected { noteToolsChanged() }
    }

    /// A part of another node's presence arrived (or was refreshed). This node's own is ignored.
    package func receivePresence(_ bytes: [UInt8]) {
        guard let state = cluster, let value = try? JSONParser.parse(bytes) else { return }
        let base = UInt64(1) << 62
        guard let part = ClusterPresence.decode(value, sequenceBase: base), part.node != state.node else { return }
        let node = part.node
        let before = state.nodes[node]?.editors.map(\.id)
        // An editor is at one node at a time: the node that lists it ready now has it (it resumed there).
        let arrived = part.editors.filter(\.ready)
        let listed = Set(arrived.map(\.id))
        var moved: [String] = []
        for (other, presence) in state.nodes where other != node {
            let left = (presence.editors + presence.reconnecting).filter { listed.contains($0.id) }
            guard !left.isEmpty else { continue }
            moved += left.map(\.id)
            cluster?.removeEditors(of: other) { listed.contains($0.id) }
        }
        let editors = cluster?.receive(part, expires: clock.monotonicSeconds() + state.presenceTTL).editors ?? []
        for editor in arrived where resumeWindows[editor.id] != nil {
            moved.append(editor.id)
            followEditor(editor)
        }
        // Calls forwarded to the node an editor left follow it now, not when that node's presence lapses.
        for clientId in Set(moved) { redirectForwarded(of: clientId, awayFrom: node) }
        noteDeadline(clock.monotonicSeconds() + state.presenceTTL)
        if before != editors.map(\.id) {
            if before == nil { logger.info("cluster node seen", metadata: ["node": "\(node)", "editors": "\(editors.count)"]) }
            noteToolsChanged(publishPresence: false)
            // Calls waiting for a suitable editor (startup grace, wait_seconds) may take one of these.
            deliverWaitingCalls()
        }
    }

    /// Another node left (its presence was deleted, or lapsed): its editors may resume elsewhere for the
    /// resume window; calls sent to them follow them there, once, or end.
    package func nodeLeft(_ node: String) {
        guard let removed = cluster?.removeNode(node) else { return }
        logger.warning("cluster node gone", metadata: ["node": "\(node)", "editors": "\(removed.editors.count)"])
        tellHost(.warning, "Gateway node \(node) left the cluster; its \(removed.editors.count) editor(s) may resume on another node.")
        keepEditorsForResume(of: removed)
        redirectForwarded(to: node)
        noteToolsChanged(publishPresence: false)
    }

    /// Every editor a call could go to: this node's, then the other nodes' (by node name).
    package var routableEditors: [ClientRecord] {
        let local = registry.routableEditors
        guard let nodes = cluster?.nodes, !nodes.isEmpty else { return local }
        return local + nodes.keys.sorted().flatMap { nodes[$0]?.editors ?? [] }
    }

    /// A routable editor by id, here or on another node.
    func routableEditor(_ id: String) -> ClientRecord? {
        if let local = registry[id] { return local.isRoutable ? local : nil }
        return remoteEditor(id)
    }

    func remoteEditor(_ id: String) -> ClientRecord? {
        guard let nodes = cluster?.nodes else { return nil }
        for node in nodes.values { if let found = node.editors.first(where: { $0.id == id }) { return found } }
        return nil
    }

    /// The first of the other nodes' editors that offers `tool` (for calls no editor here can take).
    func firstRemoteEditor(offering tool: String) -> ClientRecord? {
        guard let nodes = cluster?.nodes else { return nil }
        for node in nodes.keys.sorted() {
            if let found = nodes[node]?.editors.first(where: { $0.offers(tool) }) { return found }
        }
        return nil
    }

    /// Round-robin and least-busy across every node's editors (nil when no other node has one, or under
    /// `first`, which keeps calls on this node's editors while there are any). Another node's editor counts
    /// as busy with what its presence said plus the calls forwarded to it from here since.
    func clusterEditor(by policy: RoutingPolicy, offering tool: String) -> ClientRecord? {
        guard policy != .first, let nodes = cluster?.nodes, nodes.values.contains(where: { !$0.editors.isEmpty }) else { return nil }
        let candidates = routableEditors.filter { $0.offers(tool) }
        guard !candidates.isEmpty else { return nil }
        let chosen: ClientRecord
        switch policy {
        case .first:
            return nil
        case .roundRobin:
            let after = cluster?.lastRouted.flatMap { last in candidates.firstIndex { $0.id == last } } ?? -1
            chosen = candidates[(after + 1) % candidates.count]
        case .leastBusy:
            let forwardedTo = cluster?.forwardedPerEditor ?? [:]
            func load(_ editor: ClientRecord) -> Int {
                editor.node == nil ? editor.busyness : editor.remoteInFlight + (forwardedTo[editor.id] ?? 0)
            }
            var best = candidates[0]
            for editor in candidates.dropFirst() where load(editor) < load(best) { best = editor }
            chosen = best
        }
        cluster?.routed(to: chosen.id)
        return chosen
    }

    /// Sends a call to the node of the editor it is for; the answer comes back through `forwardedAnswer`.
    func forward(_ request: CommandRequest, id: String, to editor: ClientRecord, resent: Bool = false) {
        guard let node = editor.node, let state = cluster else { return }
        let now = clock.monotonicSeconds()
        // The other node times the editor out itself and says so; this bound is for a node that went silent.
        let deadline = now + settings.commandTimeout + Self.forwardingAllowance
        var fields: [String: JSONValue] = [
            "id": .string(id), "client": .string(editor.id), "command": .string(request.name), "params": request.params,
            "from": .string(state.node), "session": .string(request.session),
        ]
        // A read-only caller's call is judged again by the node whose editor runs it, on that editor's own record.
        if let caller = request.readOnlyCaller { fields["readOnlyCaller"] = .string(caller) }
        if let judged = request.readsOnlyByGateway { fields["readsOnlyByGateway"] = .bool(judged) }
        let text = JSONValue.object(fields).jsonText
        cluster?.addForwarded(ForwardedCommand(
            id: id, node: node, clientId: editor.id, started: now, deadline: deadline, request: request, resent: resent, call: text,
            lastSent: now))
        noteDeadline(min(deadline, now + ClusterState.forwardRetry))
        statistics.commandsForwarded += 1
        output.effects.append(.forward(node: node, call: text))
    }

    /// How many answers to forwarded calls a node remembers for repeats.
    static let rememberedAnswers = ClusterState.rememberedAnswers

    /// How much longer than the command timeout a forwarding node waits for the other node's answer.
    static let forwardingAllowance = 2.0

    /// Another node answered a call forwarded to it. Unknown ids (late, or not ours) are dropped.
    package func forwardedAnswer(_ bytes: [UInt8]) {
        guard let (value, result) = try? JSONParser.parse(bytes, keepingTextOf: "result"), let id = value["id"]?.stringValue,
              let command = cluster?.removeForwarded(id)
        else {
            statistics.unmatchedResponses += 1
            return
        }
        commandLatency.observe(clock.monotonicSeconds() - command.started)
        let clientId = value["clientId"]?.stringValue ?? command.clientId
        if value["success"]?.boolValue == true {
            finish(command.replyTo, .success(result: result ?? JSONText(.null), clientId: clientId))
        } else {
            let kind = String((value["kind"]?.stringValue ?? "remote_error").prefix(64))
            let message = String((value["message"]?.stringValue ?? "the other gateway node gave no reason").prefix(4000))
            finish(command.replyTo, .failure(.remote(kind: kind, message: message, clientId: clientId)))
        }
    }

    /// A call another node forwarded for an editor here: runs it like a local call naming that editor
    /// (no waiting: the calling node already chose it), and answers to NATS subject `replyTo`.
    package func runForwarded(_ bytes: [UInt8], replyTo: String) {
        guard let call = try? JSONParser.parse(bytes), let id = call["id"]?.stringValue, let client = call["client"]?.stringValue,
              let name = call["command"]?.stringValue, let from = call["from"]?.stringValue
        else {
            statistics.invalidMessages += 1
            return
        }
        // A repeat: answered already (the answer was lost on the way), or still running here.
        if let given = cluster?.answer(to: id) {
            output.replies.append((.node(replyTo: replyTo, id: id), .forwardedAnswer(given)))
            return
        }
        guard cluster?.isRunning(id) != true else { return }
        statistics.commandsFromNodes += 1
        cluster?.startRunning(id)
        var request = CommandRequest(
            name: name, params: call["params"] ?? [:], target: client, session: "node:\(from):" + (call["session"]?.stringValue ?? ""),
            replyTo: .node(replyTo: replyTo, id: id))
        request.waitSeconds = 0
        request.readOnlyCaller = call["readOnlyCaller"]?.stringValue.map { String($0.prefix(128)) }
        request.readsOnlyByGateway = call["readsOnlyByGateway"]?.boolValue
        request.commandId = id
        submit(request)
    }

    func remember(answer text: String, for id: String) {
        cluster?.remember(answer: text, for: id)
    }

    static func forwardedAnswerText(id: String, _ outcome: CommandOutcome) -> String {
        switch outcome {
        case .success(let result, let clientId):
            let head: JSONValue = ["id": .string(id), "success": true, "clientId": .string(clientId)]
            // The editor's result is spliced in as the text it arrived in, not rebuilt.
            return String(head.jsonText.dropLast()) + ",\"result\":" + result.text + "}"
        case .failure(let failure):
            let answer: JSONValue = [
                "id": .string(id), "success": false, "kind": .string(failure.kind), "message": .string(failure.description),
                "clientId": failure.clientId.map(JSONValue.string) ?? .null,
            ]
            return answer.jsonText
        }
    }

    /// Lapsed presences and forwarded calls past their deadline (from `tick`).
    func expireCluster(now: Double) {
        guard let lapsed = cluster?.lapsedNodes(now: now) else { return }
        // Nodes first: their calls follow their editors, and what is left is judged after.
        for node in lapsed { nodeLeft(node) }
        guard let (lost, resend) = cluster?.expireForwarded(now: now) else { return }
        for command in lost {
            logger.warning("forwarded command not answered", metadata: ["command": "\(command.name)", "node": "\(command.node)"])
            finish(command.replyTo, .failure(.nodeLost(node: command.node, clientId: command.clientId)))
        }
        for command in resend { output.effects.append(.forward(node: command.node, call: command.call)) }
    }

    /// For /health and the stats.
    var clusterReport: JSONValue {
        guard let state = cluster else { return .null }
        return [
            "node": .string(state.node), "connected": .bool(state.connected),
            "nodes": .array(state.nodes.keys.sorted().map { node in
                ["node": .string(node), "editors": .int(Int64(state.nodes[node]?.editors.count ?? 0))]
            }),
            "forwardedInFlight": .int(Int64(state.forwarded.count)),
        ]
    }
}
