/// What the gateway accepts, from whom, and how much. Defaults are safe for a loopback gateway used by
/// one developer's editors: authentication on, no browser origins, generous limits a real editor never meets.
package struct SecuritySettings: Sendable, Equatable {
    /// The shared secret clients must present; nil turns authentication off (`--no-auth`, loopback only).
    package var token: String?
    /// People's own tokens (`--tokens FILE`), accepted besides the shared one.
    package var namedTokens: [NamedToken] = []
    /// Whether any token is required (the shared one or a person's).
    package var requiresToken: Bool { token != nil || !namedTokens.isEmpty }
    /// How long a client may stay unauthenticated before it is dropped (also ends idle half-open sockets).
    package var authTimeout: Double = 5
    /// `Origin` values allowed on upgrade requests; browsers always send one, Godot and tools send none.
    package var allowedOrigins: Set<String> = []
    /// Host names accepted in the `Host` header besides the loopback names (DNS-rebinding defence).
    package var allowedHosts: Set<String> = []
    /// When the gateway listens beyond loopback and no host was configured, any Host is accepted.
    package var acceptAnyHost = false
    package var maxClients = 64
    package var maxClientsPerAddress = 16
    /// Sockets that have not presented a token yet get a pool of their own, so that they cannot crowd
    /// out authenticated clients: at most this many at once, and `maxUnauthenticatedPerGroup` from one
    /// address group (all loopback addresses are one group). A newcomer when either is full takes the
    /// place of the group's (or pool's) oldest: a real client identifies within milliseconds of its
    /// handshake, an idle socket waits out `authTimeout`, so the oldest is the one to let go.
    package var maxUnauthenticated = 32
    package var maxUnauthenticatedPerGroup = 16
    /// Sustained messages per second and burst, per client.
    package var messagesPerSecond: Double = 200
    package var messageBurst: Double = 400
    /// Sustained bytes per second and burst, per client.
    package var bytesPerSecond: Double = 32 * 1024 * 1024
    package var byteBurst: Double = 64 * 1024 * 1024
    /// A client over its rate this many times within `abuseWindow` seconds is closed with 1008.
    package var abuseLimit = 20
    package var abuseWindow: Double = 10
    /// Most commands one MCP host may have waiting for editors at once.
    package var maxCommandsInFlight = 64

    package init() {}
}
