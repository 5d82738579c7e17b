
/// What clients send: a message is size- and rate-checked, decoded, authenticated and handled here —
/// identify (the access model's roles, resume), heartbeats, answers and progress, relayed MCP, events.
extension GatewayCore {
    /// A complete binary frame: the protocol is JSON text only.
    package func receiveBinary(_ handle: ClientHandle, byteCount: Int) {
        guard registry.id(of: handle) != nil else { return }
        countInbound(handle, bytes: byteCount)
        statistics.invalidMessages += 1
        sendError(to: handle, code: InboundMessageError.Code.invalidMessage.rawValue, message: "binary frames are not supported; send JSON text")
    }

    /// A complete text message from a client named by id (tests; the socket layer has the handle).
    package func receive(_ id: String, text: [UInt8]) {
        guard let handle = registry.handle(of: id) else { return }
        receive(handle, text: text)
    }

    /// A complete text message from a client.
    package func receive(_ handle: ClientHandle, text: [UInt8]) {
        // Input from a client being closed (flood, failed authentication) is no longer looked at.
        guard case let (id, authenticated)? = registry.messageArrived(
            handle, bytes: text.count, now: clock.monotonicSeconds(), nowMs: clock.epochMilliseconds()) else { return }
        statistics.messagesIn += 1
        statistics.bytesIn += UInt64(text.count)
        // An answer to a command this client was sent costs none of its rate budget: the gateway chose
        // to ask, there can be no more answers than commands (each bounded by the size cap), and
        // dropping one would leave the MCP host waiting. Anything else, a forged answer included, pays.
        // `InboundMessage.decode`, with the hot path first, what the rest of this function would conclude
        // for it in fewer steps: an authenticated client's answer, in the common shape, to a command it
        // was sent under an id this process made (free of the rate budget, as said above), found by the
        // id's bytes. Any other answer gets its id as text and goes on as `decode` would have made it.
        var scanned: Result<InboundMessage, InboundMessageError>?
        let answeredHere = text.withUnsafeBytes { bytes -> Bool in
            guard let answer = InboundMessage.scannedAnswerParts(bytes, maximumDepth: InboundMessage.maximumDepth) else { return false }
            if authenticated, let command = inCommands({ $0.takeOwn(answeredBy: UnsafeRawBufferPointer(rebasing: bytes[answer.id]), sentTo: id) }) {
                conclude(command, key: command.key, success: answer.success, result: answer.result, error: answer.error, from: handle, id: id)
                return true
            }
            scanned = .success(.commandResponse(answer.response(in: bytes)))
            return false
        }
        if answeredHere { return }
        var decoded = scanned ?? InboundMessage.decodeFully(text)
        // The same for an id another node made (a forwarded call).
        if authenticated, case .success(.commandResponse(let response)) = decoded,
           let key = inCommands({ $0.key(of: response.id, sentTo: id) }) {
            return complete(response, key: key, from: handle, id: id)
        }
        var claimed: String?
        if case .failure = decoded {
            // Refused under the strict rules: if it claims to answer a pending command, it is judged by
            // the rules for answers (deeper nesting), and if still refused it fails that command at once.
            claimed = pendingCommand(claimedBy: text, from: handle, id: id)
            if claimed != nil { decoded = InboundMessage.decode(text, maximumDepth: InboundMessage.maximumAnswerDepth) }
        }
        // The command an answer is for, found once (`complete` takes it).
        var answered: CommandsInFlight.Key?
        let answersPending: Bool
        switch decoded {
        case .success(.commandResponse(let response)):
            answered = inCommands { $0.key(of: response.id, sentTo: id) }
            answersPending = answered != nil
        case .success: answersPending = false
        case .failure: answersPending = claimed != nil  // refused below, which ends the command: it cannot repeat
        }
        if !answersPending {
            guard withinRate(handle, id: id, bytes: text.count, messages: 1) else { return }
        }
        switch decoded {
        case .failure(let error):
            statistics.invalidMessages += 1
            logger.notice("invalid message from client", metadata: ["client": "\(id)", "error": "\(error.description)"])
            if let claimed {
                refuseAnswer(claimed, from: handle, id: id, reason: error.description)
            }
            sendError(to: handle, code: error.code.rawValue, message: error.description)
        case .success(let message):
            if case .identify(let identification) = message, let problem = IdentifyLimits.problem(with: identification, byteCount: text.count) {
                statistics.invalidMessages += 1
                logger.notice("identify refused", metadata: ["client": "\(id)", "reason": "\(problem)"])
                recordAudit(["event": "identify_refused", "clientId": .string(id), "caller": auditName(of: id), "reason": .string(problem)])
                return sendError(to: handle, code: "identify_refused", message: problem)
            }
            if !authenticated {
                return handleUnauthenticated(message, from: handle, id: id)
            }
            if let answered, case .commandResponse(let response) = message {
                return complete(response, key: answered, from: handle, id: id)
            }
            self.handle(message, from: handle, id: id)
        }
    }

    /// The id of the pending command this client's message claims to answer, found in its first bytes
    /// without parsing it (it may be too large, too deep or not JSON at all).
    func pendingCommand<Bytes: RandomAccessCollection>(claimedBy text: Bytes, from handle: ClientHandle, id: String) -> String?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard !commands.isEmpty, registry.isAuthenticated(handle) == true else { return nil }
        let head = text.prefix(LeadingIdentifier.searchedPrefix)
        guard let commandId = LeadingIdentifier.find(in: head)?.stringValue, commands.key(of: commandId, sentTo: id) != nil else { return nil }
        return commandId
    }

    /// The editor answered a pending command with a message the gateway cannot accept: the command ends
    /// now with the reason, instead of waiting for its timeout.
    func refuseAnswer(_ commandId: String, from handle: ClientHandle, id: String, reason: String) {
        guard let key = commands.key(of: commandId), let command = commands.remove(key) else { return }
        registry.update(handle) { _ = $0.inFlightCommands.remove(key) }
        statistics.answersRefused += 1
        tellHost(.warning, "Godot editor \(id)'s answer to \(command.name) was refused: \(reason)")
        logger.warning("editor's answer refused", metadata: ["client": "\(id)", "command": "\(command.name)", "reason": "\(reason)"])
        recordAudit([
            "event": "answer_refused", "clientId": .string(id), "command": .string(command.name), "reason": .string(reason),
        ])
        finish(command.replyTo, .failure(.answerRefused(reason: reason, clientId: id)))
        sendQueued(to: id)
    }

    /// Token-bucket limits per client. A message over the rate is dropped with an error; a client that keeps
    /// going over it is closed with 1008 — its flood never reaches the other clients or the MCP host.
    fileprivate func withinRate(_ handle: ClientHandle, id: String, bytes: Int, messages: Int) -> Bool {
        guard var record = registry[handle] else { return false }
        let now = clock.monotonicSeconds()
        let allowed = record.messageBucket.take(Double(messages), now: now) && record.byteBucket.take(Double(bytes), now: now)
        if !allowed {
            record.rateViolations = record.rateViolations.filter { now - $0 < security.abuseWindow } + [now]
        }
        let violations = record.rateViolations.count
        registry.update(handle) {
            $0.messageBucket = record.messageBucket
            $0.byteBucket = record.byteBucket
            $0.rateViolations = record.rateViolations
        }
        if allowed { return true }
        statistics.rateLimited += 1
        if violations >= security.abuseLimit {
            logger.warning("client keeps exceeding its rate limit, closing it", metadata: ["client": "\(id)"])
            close(handle, code: CloseCode.policyViolation, reason: "rate limit exceeded")
        } else if violations == 1 || violations % 5 == 0 {
            // Tell it, without answering every dropped message of a flood.
            sendError(to: handle, code: "rate_limited", message: "rate limit exceeded; message dropped")
        }
        return false
    }

    /// Before authenticating, a client may only identify, with the token.
    fileprivate func handleUnauthenticated(_ message: InboundMessage, from handle: ClientHandle, id: String) {
        guard case .identify(let identification) = message else {
            sendError(to: handle, code: "unauthenticated", message: "authenticate first: send identify with your token")
            return
        }
        guard let presented = identification.token, let identity = identity(presenting: presented) else {
            let address = registry[id]?.remoteAddress ?? "unknown"
            logger.notice("client failed to authenticate", metadata: ["client": "\(id)", "address": "\(address)"])
            recordAudit(["event": "authentication_failed", "address": .string(address), "clientId": .string(id)])
            sendError(to: handle, code: "unauthenticated", message: "invalid or missing token")
            close(handle, code: CloseCode.policyViolation, reason: "authentication failed")
            return
        }
        guard admitAuthenticated(id) else { return }
        grant(identity, to: handle)
        self.handle(message, from: handle, id: id)
    }

    fileprivate func handle(_ message: InboundMessage, from handle: ClientHandle, id: String) {
        switch message {
        case .identify(let identification):
            if refusesRole(identification, from: id) { return }
            // A client that came as an MCP client (`?type=mcp`, or identified so) stays one: it may call
            // tools, never pose as an editor that commands are sent to.
            if registry.type(of: handle) == .mcp, identification.clientType != .mcp {
                return sendError(to: handle, code: "invalid_message", message: "an mcp client cannot identify as \(identification.clientType.rawValue)")
            }
            if let token = identification.resumeToken, resume(handle, presenting: token, identification) { return }
            registry.update(handle) {
                $0.type = identification.clientType
                $0.clientVersion = identification.clientVersion
                $0.godotVersion = identification.godotVersion
                $0.identify(with: identification)
                $0.ready = true
            }
            if identification.clientType == .godot {
                noteToolsChanged()
                deliverWaitingCalls()
            }
            let project = identification.details["projectName"]?.stringValue.map { ", project \($0.prefix(100))" } ?? ""
            if identification.clientType == .godot {
                shareResumeState()
                tellHost(.info, "Godot editor \(id) connected (Godot \(identification.godotVersion?.prefix(40) ?? "?")\(project)).")
            }
            if identification.clientType == .mcp, identification.details["relay"] != nil {
                relayClients.insert(id)
                shareResumeState()
            }
            logger.info("client identified", metadata: [
                "client": "\(id)", "type": "\(identification.clientType.rawValue)",
                "godotVersion": "\(identification.godotVersion ?? "-")",
            ])
        case .heartbeatResponse:
            registry.update(handle) { $0.answeredHeartbeat = true }
        case .heartbeat(let timestamp):
            send(OutboundMessage.heartbeatResponse(echo: timestamp, timestampMs: clock.epochMilliseconds()), to: handle)
        case .shutdownAck:
            logger.info("client acknowledged shutdown", metadata: ["client": "\(id)"])
            if shutdown.acknowledged(id) { finishShutdownIfAcknowledged() }
        case .commandResponse(let response):
            complete(response, from: handle, id: id)
        case .progress(let update):
            progress(update, from: id)
        case .mcp(let message):
            guard registry.type(of: handle) == .mcp else {
                return sendError(to: handle, code: "invalid_message", message: "identify as clientType mcp to relay MCP messages")
            }
            output.effects.append(.relayedRequest(clientId: id, client: handle, message: message))
        case .event(let name, let data):
            guard registry.type(of: handle) == .godot else {
                return sendError(to: handle, code: "invalid_message", message: "only editors send events")
            }
            publish(EditorEvent(clientId: id, name: name, data: data, timestampMs: clock.epochMilliseconds()))
        case .subscribe(let events):
            registry.update(handle) { $0.eventSubscriptions = Set(events) }
            if events.contains("snapshot") {
                // The first snapshot at once; then every second.
                snapshots.sendSoon()
                noteDeadline(clock.monotonicSeconds())
            }
        case .resumeState:
            sendError(to: handle, code: "invalid_message", message: "resume_state is sent by gateways, not to them")
        }
    }
}
