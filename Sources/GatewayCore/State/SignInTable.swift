/// The dashboard's sign-ins: cookies, when each ends, and the identity of the token it was made with.
/// Bounded per token (a new one beyond the bound ends that token's oldest), so the scan every request
/// with a cookie costs stays small. It owns its state and expiry; the access model decides who signs in
/// and when a token change ends sign-ins (`GatewayCore+Dashboard`, `+Access`).
package struct SignInTable: Sendable {
    package struct Session: Sendable {
        package let cookie: String
        package let expires: Double
        package let caller: CallerIdentity
    }

    private var sessions: [Session] = []
    let maximumPerToken: Int

    package init(maximumPerToken: Int) {
        self.maximumPerToken = maximumPerToken
    }

    package var count: Int { sessions.count }

    /// Adds a sign-in; ends expired ones, and the oldest of the same token's beyond the bound.
    package mutating func add(_ session: Session, now: Double) {
        expire(now: now)
        let sameToken = sessions.indices.filter { sessions[$0].caller.credential == session.caller.credential }
        if sameToken.count >= maximumPerToken, let oldest = sameToken.first { sessions.remove(at: oldest) }
        sessions.append(session)
    }

    /// The live sign-in `cookie` names; every comparison runs in constant time, whichever matches.
    package func session(cookie: String, now: Double) -> Session? {
        var found: Session?
        for session in sessions where session.expires > now && AccessToken.matches(cookie, session.cookie) { found = session }
        return found
    }

    /// Ends the sign-ins `ends` says; returns how many.
    @discardableResult
    package mutating func end(where ends: (Session) -> Bool) -> Int {
        let before = sessions.count
        sessions.removeAll(where: ends)
        return before - sessions.count
    }

    package mutating func expire(now: Double) {
        sessions.removeAll { $0.expires <= now }
    }
}
