/// The access model, decided here and nowhere else: who a connection is (`CallerIdentity`) from the
/// token it presented (header or `identify`), its client certificate, or a dashboard sign-in cookie; what
/// it may do (`CallerRights`); and a reload of the tokens judging every open connection and sign-in again.
extension GatewayCore {
    /// Who presents `token`: a person (`--tokens`), the shared token, or nobody (nil).
    package func identity(presenting token: String) -> CallerIdentity? {
        guard let named = security.caller(presenting: token) else { return nil }
        let isShared = security.namedTokens.allSatisfy { !AccessToken.matches(token, $0.token) }
        let rights: CallerRights = named.readOnly ? .readOnly : .full
        return CallerIdentity(
            name: named.name, rights: rights, credential: Credential(kind: isShared ? .sharedToken : .personToken, secret: token, grants: rights))
    }

    /// Who an upgrade request is, before any message: its bearer token, else its sign-in cookie (the
    /// dashboard page's own socket may only view; a `?type=mcp` socket gets the rights of the token the
    /// cookie came from), else nobody (it may still present a token in `identify`). With `--no-auth`
    /// everyone has full rights. A client certificate names a caller the shared token does not.
    func identity(of request: ConnectionRequest, initialType: ClientType) -> CallerIdentity? {
        var identity: CallerIdentity?
        if !security.requiresToken {
            identity = CallerIdentity(name: nil, rights: .full, credential: .unauthenticatedAccess)
        } else if let presented = request.bearerToken {
            identity = self.identity(presenting: presented)
        }
        if identity == nil, let session = dashboardSession(for: request) {
            identity = CallerIdentity(
                name: "dashboard:" + (session.caller.name ?? "anonymous"),
                rights: initialType == .mcp ? session.caller.rights : .dashboardView, credential: session.caller.credential)
        }
        if var named = identity, let certificate = request.certificateName, named.name == nil || named.name == "shared" {
            named.name = "cert:" + certificate.prefix(64)
            identity = named
        }
        return identity
    }

    /// Gives a connection its identity: authenticated, named, with its rights. A connection without full
    /// rights that guessed itself an editor (User-Agent, `?type=godot`) is not one.
    func grant(_ identity: CallerIdentity, to handle: ClientHandle) {
        registry.markAuthenticated(handle)
        registry.update(handle) {
            $0.authDeadline = nil
            $0.caller = identity.name
            $0.rights = identity.rights
            $0.credential = identity.credential
            if !identity.rights.mayActAsEditorOrRelay, $0.type == .godot { $0.type = .unknown }
        }
    }

    /// The name audit records give a connection: its caller, or what it is when it has none.
    func auditName(of id: String) -> JSONValue {
        guard let record = registry[id] else { return .null }
        if let caller = record.caller { return .string(caller) }
        return security.requiresToken ? .null : "anonymous (--no-auth)"
    }

    // MARK: Reload

    /// A reload read the shared token again: new connections must present the new one. Connections that
    /// presented the old one stay (a rotation is routine; a person is cut off by `--tokens`), but sign-in
    /// sessions made from it end, and so do the dashboard sockets opened with them.
    package func replaceToken(_ token: String) {
        security.token = token
        logger.notice("access token replaced; connected clients stay connected, sign-ins made with the old token end")
        recordAudit(["event": "token_replaced"])
        judgeAgain()
    }

    /// A reload read the token list again: every open connection and sign-in is judged by its secret
    /// (not its name) — a token removed or changed closes its connections (1008) and ends its sign-ins;
    /// a token demoted to read-only makes its connections read-only at once, closes those acting as
    /// editors or relays, and ends its sign-ins.
    package func replaceNamedTokens(_ tokens: [NamedToken]) {
        security.namedTokens = tokens
        recordAudit(["event": "tokens_reloaded", "count": .int(Int64(tokens.count))])
        judgeAgain()
    }

    private func judgeAgain() {
        let ended = signIns.end { session in
            session.caller.credential.kind != .none
                && identity(presenting: session.caller.credential.secret)?.rights != session.caller.credential.grants
        }
        if ended > 0 { recordAudit(["event": "sign_in_ended", "count": .int(Int64(ended)), "reason": "token changed"]) }
        for record in Array(registry.unordered) where record.authenticated && record.credential.kind != .none {
            judgeAgain(record)
        }
    }

    /// One connection against the tokens as they are now.
    private func judgeAgain(_ record: ClientRecord) {
        let viaSignIn = record.caller?.hasPrefix("dashboard:") ?? false
        guard let now = identity(presenting: record.credential.secret) else {
            // A rotated shared token: its sockets stay (a rotation is routine); sign-ins end with it.
            if record.credential.kind == .sharedToken, !viaSignIn { return }
            return revoke(record, reason: viaSignIn ? "sign-in ended" : "token revoked")
        }
        if now.rights != record.credential.grants {
            if viaSignIn { return revoke(record, reason: "sign-in ended") }
            if now.rights < record.rights, record.type == .godot || relayClients.contains(record.id) {
                return revoke(record, reason: "token no longer grants full rights")
            }
            logger.notice("caller's rights changed", metadata: ["client": "\(record.id)", "rights": "\(now.rights)"])
            recordAudit([
                "event": "rights_changed", "clientId": .string(record.id), "caller": auditName(of: record.id),
                "from": .string(record.rights.description), "to": .string(now.rights.description),
            ])
        }
        registry.update(record.id) {
            $0.credential.grants = now.rights
            if !viaSignIn { $0.rights = now.rights }
            // The same secret under a new name in the list: the name follows (a certificate's name stays).
            if !viaSignIn, $0.caller?.hasPrefix("cert:") != true { $0.caller = now.name }
        }
    }

    private func revoke(_ record: ClientRecord, reason: String) {
        logger.notice("\(reason); closing its connection", metadata: ["client": "\(record.id)", "caller": "\(record.caller ?? "")"])
        recordAudit(["event": "token_revoked", "caller": auditName(of: record.id), "clientId": .string(record.id), "reason": .string(reason)])
        close(record.handle, code: CloseCode.policyViolation, reason: reason)
    }

    // MARK: Editors and relays

    /// Only full rights may identify as an editor or a relay; anything less is refused and closed (the
    /// connection tried to claim what its token does not give).
    func refusesRole(_ identification: InboundMessage.Identification, from id: String) -> Bool {
        guard let record = registry[id], !record.rights.mayActAsEditorOrRelay else { return false }
        let role: String? = switch identification.clientType {
        case .godot: "an editor"
        case .mcp where identification.details["relay"] != nil: "a relay"
        case .mcp where record.rights == .dashboardView: "an MCP client (the dashboard sign-in only views)"
        default: nil
        }
        guard let role else { return false }
        logger.notice("caller without full rights tried to act as \(role)", metadata: ["client": "\(id)"])
        recordAudit(["event": "role_refused", "clientId": .string(id), "caller": auditName(of: id), "role": .string(role)])
        sendError(to: id, code: "forbidden", message: "\(record.caller ?? "this caller") (\(record.rights)) may not act as \(role)")
        close(id, code: CloseCode.policyViolation, reason: "not allowed to act as \(role)")
        return true
    }
}
