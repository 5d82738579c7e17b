/// What one gateway node knows of the others in its cluster (`--cluster`): their editors, from the
/// presence each publishes, and the calls it forwarded to them that are not answered yet.
struct ClusterState {
    /// This node's name; other nodes address calls for its editors to it.
    let node: String
    /// How long another node's presence counts without a refresh.
    let presenceTTL: Double
    var nodes: [String: RemoteNode] = [:] {
        didSet { anyReconnecting = nodes.values.contains { !$0.reconnecting.isEmpty } }
    }
    /// Whether another node lists an editor that dropped and may resume there (kept so routing asks a
    /// Bool per call, not every node).
    private(set) var anyReconnecting = false
    var forwarded: [String: ForwardedCommand] = [:]
    /// Answers this node gave to forwarded calls lately, by call id, oldest first: a call that arrives
    /// again (its node sent it again after a broker failover) gets the same answer, without running twice.
    var recentAnswers: [String: String] = [:]
    var recentAnswerOrder: [String] = []
    /// Calls other nodes forwarded here that are still running, by call id.
    var running: Set<String> = []
    /// Set when this node's editors changed and its presence should be published again.
    var presenceChanged = true
    /// The editor round-robin across the cluster used last.
    var lastRouted: String?
    /// Whether the link to the broker is up (reported in /health and the stats).
    var connected = false
}

/// Another node's editors, as the parts of its presence said, and when that presence lapses.
struct RemoteNode {
    /// The ready editors of parts 0..<partCount, each once (an editor that moved between parts may be
    /// listed by two until the older part is refreshed).
    private(set) var editors: [ClientRecord] = []
    /// Its editors that dropped and may resume (not ready): calls naming them go to that node, which
    /// holds them for the resume.
    private(set) var reconnecting: [ClientRecord] = []
    private var parts: [Int: [ClientRecord]] = [:]
    /// As part 0 last said; parts beyond it are kept (they may be written before part 0) but not counted.
    private var partCount = 1
    var expires: Double

    init(expires: Double) {
        self.expires = expires
    }

    mutating func receive(_ part: ClusterPresence.Part) {
        parts[part.number] = part.editors
        if part.number == 0 {
            partCount = part.count
            parts = parts.filter { $0.key < part.count }
        }
        var seen = Set<String>()
        let listed = (0..<partCount).flatMap { parts[$0] ?? [] }.filter { seen.insert($0.id).inserted }
        editors = listed.filter(\.ready)
        reconnecting = listed.filter { !$0.ready }
    }

    /// Removes editors (they are at another node now) from every part, so a refresh of one part does not
    /// bring them back from another.
    mutating func removeEditors(where shouldRemove: (ClientRecord) -> Bool) {
        for number in parts.keys { parts[number]?.removeAll(where: shouldRemove) }
        editors.removeAll(where: shouldRemove)
        reconnecting.removeAll(where: shouldRemove)
    }
}

/// A call sent to another node for one of its editors.
struct ForwardedCommand {
    let id: String
    let node: String
    let clientId: String
    let started: Double
    let deadline: Double
    /// Kept to send the call again, once, if the editor resumes on another node.
    let request: CommandRequest
    let resent: Bool
    /// The call as sent, and when: unanswered, it is sent again every `GatewayCore.forwardRetry` seconds
    /// (NATS delivers at most once; the other node answers a repeat without running it twice).
    let call: String
    var lastSent: Double
    var name: String { request.name }
    var replyTo: ReplyAddress { request.replyTo }
}

/// Settings of cluster membership the core needs (the broker's address stays with the socket layer).
package struct ClusterSettings: Sendable, Equatable {
    package var node: String
    package var presenceTTL: Double

    package init(node: String, presenceTTL: Double = 6) {
        self.node = node
        self.presenceTTL = presenceTTL
    }
}
