/// Resuming anywhere in a cluster: each node's presence carries a hash of each editor's resume token
/// (never the token). An editor whose node died, or that reconnects through a load balancer to another
/// node, presents its token there; that node finds the hash, gives the editor its id back, and every node
/// that had calls in flight to it sends them again, once, with the same ids, to wherever it now is.
extension GatewayCore {
    /// The id of another node's editor whose resume token is `token`, taken out of that node's presence
    /// (or out of the editors kept from a node that left); nil when no node published it.
    func claimFromCluster(presenting token: String, by caller: String?) -> String? {
        guard cluster != nil, settings.resumeWindow > 0, let hash = tokenHash?(token) else { return nil }
        if let orphan = resumeWindows.record(withTokenHash: hash) {
            return orphan.caller == caller ? orphan.id : nil
        }
        guard let nodes = cluster?.nodes else { return nil }
        for (node, presence) in nodes {
            // Listed ready (its node died or has not seen it drop) or reconnecting there.
            guard var record = (presence.editors + presence.reconnecting).first(where: {
                $0.resumeTokenHash.map { AccessToken.matches(hash, $0) } ?? false
            }), record.caller == caller
            else { continue }
            cluster?.removeEditors(of: node) { $0.id == record.id }
            record.offeredTools = nil
            record.ready = true
            keepDeparted(record)
            logger.info("editor resumes here from another node", metadata: ["client": "\(record.id)", "node": "\(node)"])
            return record.id
        }
        return nil
    }

    /// A node left: its editors that may resume are kept as departed for the resume window, so calls
    /// naming them wait and their tokens are honoured here.
    func keepEditorsForResume(of removed: RemoteNode) {
        guard settings.resumeWindow > 0, phase == .running else { return }
        for editor in removed.editors + removed.reconnecting
        where editor.resumeTokenHash != nil && resumeWindows[editor.id] == nil && registry[editor.id] == nil {
            var kept = editor
            kept.offeredTools = nil
            kept.ready = true
            keepDeparted(kept)
        }
    }

    /// Calls this node forwarded to a node that left: sent again, once, with the same id, to where the
    /// editor is now (here or another node), or kept waiting while it may still resume; else they fail.
    func redirectForwarded(to node: String) {
        for command in cluster?.removeForwarded(where: { $0.node == node }) ?? [] {
            sendAgain(command.request, id: command.id, allowed: !command.resent, markResent: true, to: command.clientId,
                      failure: .nodeLost(node: node, clientId: command.clientId))
        }
    }

    /// Calls this node forwarded for `clientId` to a node other than `node`: the editor is no longer
    /// there (it resumed at `node`, or here), so they are sent again, once, with the same ids, to where it
    /// is now — at once, not when the old node's presence lapses.
    func redirectForwarded(of clientId: String, awayFrom node: String) {
        guard let calls = cluster?.removeForwarded(where: { $0.clientId == clientId && $0.node != node }), !calls.isEmpty else { return }
        for command in calls {
            sendAgain(command.request, id: command.id, allowed: !command.resent, markResent: true, to: clientId,
                      failure: .nodeLost(node: command.node, clientId: clientId))
        }
        logger.info("calls forwarded to an editor's old node follow it", metadata: ["client": "\(clientId)", "calls": "\(calls.count)"])
    }

    /// An editor of this node that dropped showed up in another node's presence (it resumed there):
    /// what waited here for it goes there now.
    func followEditor(_ editor: ClientRecord) {
        guard let gone = resumeWindows.remove(editor.id) else { return }
        // This node's presence stops listing it as reconnecting here.
        if gone.record.node == nil { noteToolsChanged() }
        for key in gone.record.inFlightCommands.sorted() {
            guard let command = commands.remove(key) else { continue }
            let request = CommandRequest(
                name: command.name, params: command.params, target: editor.id, wantsProgress: command.wantsProgress, replyTo: command.replyTo)
            sendAgain(request, id: command.id, allowed: !command.resent, markResent: true, to: editor.id,
                      failure: .clientDisconnected(clientId: editor.id))
        }
        for command in queues.removeAll(for: editor.id) {
            sendAgain(command.request, id: command.id, allowed: true, markResent: command.resent, to: editor.id,
                      failure: .clientDisconnected(clientId: editor.id))
        }
        logger.info("editor resumed on another node; its calls follow it", metadata: ["client": "\(editor.id)", "node": "\(editor.node ?? "")"])
    }

    /// `allowed`: it has not been sent a second time yet; `markResent`: this send counts as its second.
    private func sendAgain(
        _ request: CommandRequest, id: String, allowed: Bool, markResent: Bool, to clientId: String, failure: CommandFailure
    ) {
        guard allowed else {
            finish(request.replyTo, .failure(failure))
            return
        }
        var again = request
        again.commandId = id
        if let record = routableEditor(clientId) {
            if markResent { statistics.commandsResent += 1 }
            if record.node != nil {
                forward(again, id: id, to: record, resent: markResent)
            } else if hasRoom(record) {
                dispatch(id, again, to: record, resent: markResent)
            } else {
                enqueue(QueuedCommand(id: id, request: again, resent: markResent), for: clientId)
            }
        } else if resumeWindows[clientId] != nil {
            guard case .waitForReturn = returnRoute(clientId) else {
                finish(request.replyTo, .failure(failure))
                return
            }
            let expires = returnDeadline(of: clientId, notAfter: clock.monotonicSeconds() + settings.commandTimeout)
            enqueue(QueuedCommand(id: id, request: again, expires: expires, resent: markResent), for: clientId)
            noteDeadline(expires)
        } else {
            finish(request.replyTo, .failure(failure))
        }
    }
}
