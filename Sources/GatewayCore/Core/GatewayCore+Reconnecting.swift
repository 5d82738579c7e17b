/// Editors that dropped and may come back within their resume window — here (`departed`) or on another
/// cluster node (listed as reconnecting in its presence). A call names them as it names connected
/// editors, by id, project name or unique prefix, and waits for them: here in the editor's queue, or at
/// the editor's node, which holds it for the resume.
extension GatewayCore {
    /// Whether any editor is reconnecting here or on another node. Routing asks this once per call that
    /// names an editor; it is a dictionary's count and a stored flag.
    var anyReconnecting: Bool { !resumeWindows.isEmpty || cluster?.anyReconnecting == true }

    /// The editors a call's `client` may name: the routable ones, then those reconnecting here and on
    /// other nodes (each id once; an editor both listed ready and reconnecting counts as ready).
    var nameableEditors: [ClientRecord] {
        let routable = routableEditors
        var seen = Set(routable.map(\.id))
        var editors = routable
        for record in resumeWindows.records where seen.insert(record.id).inserted { editors.append(record) }
        if let nodes = cluster?.nodes {
            for node in nodes.keys.sorted() {
                for record in nodes[node]?.reconnecting ?? [] where seen.insert(record.id).inserted { editors.append(record) }
            }
        }
        return editors
    }

    /// How a call for `clientId` goes when that editor is reconnecting: it waits here, or goes to the
    /// node it is reconnecting to (that node holds it). Nil when the editor is not reconnecting.
    func reconnectingRoute(_ clientId: String) -> Route? {
        if resumeWindows[clientId] != nil { return returnRoute(clientId) }
        guard cluster?.anyReconnecting == true, routableEditor(clientId) == nil, let nodes = cluster?.nodes else { return nil }
        for node in nodes.keys.sorted() {
            if let record = nodes[node]?.reconnecting.first(where: { $0.id == clientId }) { return .send(record) }
        }
        return nil
    }

    /// A call for an editor that dropped here: it waits within the editor's grace; after it, the call
    /// fails at once (the id stays reserved for the resume window).
    func returnRoute(_ clientId: String) -> Route {
        if let ends = resumeWindows[clientId]?.graceEnds, ends > clock.monotonicSeconds() { return .waitForReturn(clientId) }
        return .fail(.editorNotBack(clientId: clientId, seconds: settings.resumeGrace))
    }

    /// When a call waiting for `clientId` to come back ends: at `limit`, or when the editor's grace does.
    func returnDeadline(of clientId: String, notAfter limit: Double) -> Double {
        min(limit, resumeWindows[clientId]?.graceEnds ?? limit)
    }

    /// The editor did not come back within its grace: the commands it had been sent fail now
    /// ("disconnected"), and those waiting for it fail at their deadline (`returnDeadline`). Its id, its
    /// pins and its resume token stay for the rest of the window.
    func endGrace(of gone: DepartedClient) {
        let clientId = gone.record.id
        var failed = 0
        for key in gone.record.inFlightCommands.sorted() {
            guard let command = commands[key], command.awaitingResume else { continue }
            commands.remove(key)
            resumeWindows.forgetInFlight(key, of: clientId)
            failed += 1
            finish(command.replyTo, .failure(.clientDisconnected(clientId: clientId)))
        }
        logger.info("editor did not reconnect within its grace", metadata: ["client": "\(clientId)", "failed": "\(failed)"])
        if failed > 0 {
            tellHost(.warning, "Godot editor \(clientId) did not reconnect within \(Int(settings.resumeGrace)) s; \(failed) command(s) failed.")
        }
    }
}
