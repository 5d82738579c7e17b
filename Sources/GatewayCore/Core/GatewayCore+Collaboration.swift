/// Collaboration: editors' events become their readable state and reach the clients that subscribed;
/// MCP sessions take advisory locks on scenes, which other sessions' editing calls respect.
extension GatewayCore {
    func publish(_ event: EditorEvent) {
        registry.update(event.clientId) { record in
            switch event.name {
            case "scene_changed": record.editorState["scene"] = event.data["scene"] ?? .null
            case "node_selected": record.editorState["selection"] = event.data["nodes"] ?? []
            case "play_started": record.editorState["playing"] = event.data["scene"] ?? true
            case "play_stopped": record.editorState["playing"] = nil
            default: break
            }
        }
        events.append(event)
        let message = event.json
        for record in registry.unordered where record.id != event.clientId && record.open && record.authenticated
            && (record.eventSubscriptions.contains("*") || record.eventSubscriptions.contains(event.name)) {
            send(message, to: record.handle)
        }
        output.effects.append(.editorEvent(clientId: event.clientId, name: event.name))
    }

    // MARK: Locks

    /// Takes (or renews) `scene` for `session`. Fails with the holder when another session holds it.
    package func lock(scene: String, session: String, holder: String) -> Result<SceneLock, CommandFailure> {
        let now = clock.monotonicSeconds()
        switch sceneLocks.lock(scene: scene, session: session, holder: holder, now: now, expires: now + settings.lockTimeout) {
        case .held(let held):
            return .failure(.sceneLocked(scene: scene, holder: held.holder))
        case .taken(let lock):
            noteDeadline(lock.expires)
            logger.info("scene locked", metadata: ["scene": "\(scene.prefix(200))", "holder": "\(holder.prefix(100))"])
            return .success(lock)
        }
    }

    /// Releases `scene` if `session` holds it. Returns whether it did.
    package func unlock(scene: String, session: String) -> Bool {
        sceneLocks.unlock(scene: scene, session: session)
    }

    /// A session ended: its locks go with it.
    func releaseLocks(of session: String) {
        sceneLocks.release(session: session)
    }

    /// The lock another session holds on what an editing call would change: the scene the editor has
    /// open, or a scene the call names (`path` / `scene_path`).
    func conflictingLock(for request: CommandRequest, on record: ClientRecord) -> SceneLock? {
        guard !sceneLocks.isEmpty, !(request.readsOnlyByGateway ?? record.isReadOnly(request.name)) else { return nil }
        // Read once: parameters known only as the host's text are parsed to read them.
        let params = request.params
        let scenes = [record.currentScene, params["path"]?.stringValue, params["scene_path"]?.stringValue].compactMap { $0 }
        return sceneLocks.heldAgainst(session: request.session, scenes: scenes, now: clock.monotonicSeconds())
    }
}

extension GatewayCore {
    /// A read-only caller's call reached an editor: it runs if the tool reads there — the gateway's
    /// judgement for its built-in tools, else this editor's own declaration — or it ends now (true).
    func refusesReadOnlyCaller(_ request: CommandRequest, on chosen: ClientRecord) -> Bool {
        guard let caller = request.readOnlyCaller, !(request.readsOnlyByGateway ?? chosen.isReadOnly(request.name)) else { return false }
        recordAudit(["event": "call_refused", "caller": .string(caller), "tool": .string(request.name), "clientId": .string(chosen.id)])
        finish(request.replyTo, .failure(.readOnlyCaller(caller: caller, tool: request.name, clientId: chosen.id)))
        return true
    }
}

extension ClientRecord {
    /// Whether `tool` only reads, as the editor declared (or, for the original commands, as they are).
    func isReadOnly(_ tool: String) -> Bool {
        if let offered = offeredTools { return offered.first { $0.name == tool }?.readOnly ?? false }
        return OriginalProtocol.readOnlyCommands.contains(tool)
    }
}
