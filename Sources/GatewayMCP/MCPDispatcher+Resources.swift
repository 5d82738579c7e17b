import GatewayCore

/// Resources (the gateway's state), scene locks and image results.
extension MCPDispatcher {
    func readResource(id: String, params: JSONValue, modern: Bool) {
        guard let uri = params["uri"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "resources/read needs params.uri"))
        }
        guard let content = MCPResources.read(uri, core: core) else {
            // 2026-07-28 moved "not found" to invalid params.
            return write(JSONRPCLine.error(id: id, code: modern ? .invalidParams : .resourceNotFound, message: "Resource not found: \(uri.prefix(200))"))
        }
        let result: JSONValue = ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .string(content.prettyJSONText)]]]
        let body = Array(result.jsonText.utf8)
        write(modern
            ? JSONRPCLine.modernResult(id: id, resultJSON: ModernResult.cacheable(body, ttlMs: 0, scope: "private"))
            : JSONRPCLine.result(id: id, resultJSON: body))
    }

    /// `resources/subscribe` and `resources/unsubscribe` (the handshake era's way).
    func subscribe(id: String, params: JSONValue, on: Bool) {
        guard let uri = params["uri"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "needs params.uri"))
        }
        if on { subscriptions.insert(uri) } else { subscriptions.remove(uri) }
        write(JSONRPCLine.result(id: id, resultJSON: Array("{}".utf8)))
    }

    /// An editor reported an event: subscribed resources it changed are announced.
    package func editorEvent(clientId: String, name: String) {
        guard relay == nil, !subscriptions.isEmpty || !listens.isEmpty else { return }
        for uri in MCPResources.updated(by: name, of: clientId) { resourceUpdated(uri) }
    }

    /// Tells whoever subscribed to `uri` (in either era) that it changed.
    func resourceUpdated(_ uri: String) {
        announce("notifications/resources/updated", params: ["uri": .string(uri)], legacy: subscriptions.contains(uri)) {
            $0.resourceSubscriptions.contains(uri)
        }
    }

    func lockScene(_ scene: String, locking: Bool, answer: (String, Bool, String?, String) -> Void) {
        guard !scene.isEmpty else { return answer("Name the scene: scene (a res:// path).", true, nil, "invalid_arguments") }
        guard locking else {
            return core.unlock(scene: scene, session: session)
                ? answer("Unlocked \(scene).", false, nil, "success")
                : answer("This session holds no lock on \(scene).", true, nil, "not_locked")
        }
        switch core.lock(scene: scene, session: session, holder: host + (session.isEmpty ? "" : " (via another gateway)")) {
        case .success:
            answer("Locked \(scene) for this session for \(Int(core.settings.lockTimeout)) s (lock_scene again to renew). "
                + "Other sessions' editing calls on it are refused until unlock_scene.", false, nil, "success")
        case .failure(let failure):
            answer(failure.description, true, nil, failure.kind)
        }
    }

    /// Image results: a tool the editor declares `returnsImage` answers `{"image_data": <base64>,
    /// "image_mime_type": …, …}`; the host gets MCP image content, and the other fields as text.
    func writeImage(id: String, result: JSONText, clientId: String, modern: Bool) {
        guard case .object(var fields)? = try? JSONParser.parse(bytes: Array(result.text.utf8)),
              let data = fields.removeValue(forKey: "image_data")?.stringValue,
              let mimeType = fields.removeValue(forKey: "image_mime_type")?.stringValue, mimeType.hasPrefix("image/")
        else {
            return write(JSONRPCLine.toolResult(
                id: id, text: "The Godot editor \(clientId) answered without an image (image_data, image_mime_type).", isError: true,
                modern: modern))
        }
        write(JSONRPCLine.imageResult(
            id: id, data: data, mimeType: mimeType, text: JSONValue.object(fields).jsonText,
            meta: ["godot-mcp/clientId": .string(clientId)], modern: modern))
    }
}
