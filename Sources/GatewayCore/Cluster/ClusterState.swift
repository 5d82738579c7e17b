/// What one gateway node knows of the others in its cluster (`--cluster`): their editors, from the
/// presence each publishes, the calls it forwarded to them that are not answered yet, and its answers
/// to calls they forwarded here. It owns that state (changed only through the operations below), its
/// next deadline and its expiry; the core routes, answers and tells the hosts (`GatewayCore+Cluster`).
struct ClusterState {
    /// This node's name; other nodes address calls for its editors to it.
    let node: String
    /// How long another node's presence counts without a refresh.
    let presenceTTL: Double
    /// How long a forwarded call waits for its answer before it is sent again (NATS delivers at most
    /// once; the other node answers a repeat without running it twice).
    static let forwardRetry = 1.0
    /// How many answers to forwarded calls a node remembers for repeats.
    static let rememberedAnswers = 4096

    private(set) var nodes: [String: RemoteNode] = [:] {
        didSet { anyReconnecting = nodes.values.contains { !$0.reconnecting.isEmpty } }
    }
    /// Whether another node lists an editor that dropped and may resume there (kept so routing asks a
    /// Bool per call, not every node).
    private(set) var anyReconnecting = false
    private(set) var forwarded: [String: ForwardedCommand] = [:]
    /// Answers this node gave to forwarded calls lately, by call id, oldest first: a call that arrives
    /// again (its node sent it again after a broker failover) gets the same answer, without running twice.
    private var recentAnswers: [String: String] = [:]
    private var recentAnswerOrder: [String] = []
    /// Calls other nodes forwarded here that are still running, by call id.
    private var running: Set<String> = []
    /// Set when this node's editors changed and its presence should be published again.
    private var presenceChanged = true
    /// The editor round-robin across the cluster used last.
    private(set) var lastRouted: String?
    /// Whether the link to the broker is up (reported in /health and the stats).
    var connected = false

    init(node: String, presenceTTL: Double) {
        self.node = node
        self.presenceTTL = presenceTTL
    }

    /// When the first presence lapses or a forwarded call is due to be sent again or given up.
    var nextDeadline: Double {
        var earliest = Double.infinity
        for presence in nodes.values { earliest = min(earliest, presence.expires) }
        for command in forwarded.values { earliest = min(earliest, command.deadline, command.lastSent + Self.forwardRetry) }
        return earliest
    }

    // MARK: Presence

    mutating func notePresenceChanged() { presenceChanged = true }

    /// Whether this node's presence should be published again; clears the flag.
    mutating func takePresenceChange() -> Bool {
        defer { presenceChanged = false }
        return presenceChanged
    }

    /// A part of `part.node`'s presence arrived: that node's presence as it is now, counted until `expires`.
    mutating func receive(_ part: ClusterPresence.Part, expires: Double) -> RemoteNode {
        var presence = nodes[part.node] ?? RemoteNode(expires: 0)
        presence.receive(part)
        presence.expires = expires
        nodes[part.node] = presence
        return presence
    }

    /// Editors of `node` that are at another node now.
    mutating func removeEditors(of node: String, where shouldRemove: (ClientRecord) -> Bool) {
        nodes[node]?.removeEditors(where: shouldRemove)
    }

    mutating func removeNode(_ node: String) -> RemoteNode? {
        nodes.removeValue(forKey: node)
    }

    /// The nodes whose presence lapsed (not refreshed within the TTL), in name order. The core removes
    /// each (`nodeLeft`), which sends their calls on, before `expireForwarded` judges what is left.
    func lapsedNodes(now: Double) -> [String] {
        nodes.filter { $0.value.expires <= now }.keys.sorted()
    }

    // MARK: Calls forwarded from here

    mutating func routed(to clientId: String) { lastRouted = clientId }

    mutating func addForwarded(_ command: ForwardedCommand) {
        forwarded[command.id] = command
    }

    mutating func removeForwarded(_ id: String) -> ForwardedCommand? {
        forwarded.removeValue(forKey: id)
    }

    /// Takes out the forwarded calls `isTaken` picks, in id order.
    mutating func removeForwarded(where isTaken: (ForwardedCommand) -> Bool) -> [ForwardedCommand] {
        let taken = forwarded.values.filter(isTaken).sorted { $0.id < $1.id }
        for command in taken { forwarded[command.id] = nil }
        return taken
    }

    /// How many calls from here wait on each of other nodes' editors, by editor id.
    var forwardedPerEditor: [String: Int] {
        var counts: [String: Int] = [:]
        for command in forwarded.values { counts[command.clientId, default: 0] += 1 }
        return counts
    }

    /// The forwarded calls past their deadline (taken out: the core fails them) and those unanswered for
    /// `forwardRetry` (marked sent now: the core sends them again), each in id order.
    mutating func expireForwarded(now: Double) -> (lost: [ForwardedCommand], resend: [ForwardedCommand]) {
        guard !forwarded.isEmpty else { return ([], []) }
        let lost = removeForwarded { $0.deadline <= now }
        var resend: [ForwardedCommand] = []
        for id in forwarded.keys.sorted() where now - (forwarded[id]?.lastSent ?? now) >= Self.forwardRetry {
            forwarded[id]?.lastSent = now
            if let command = forwarded[id] { resend.append(command) }
        }
        return (lost, resend)
    }

    // MARK: Calls forwarded to here

    /// The answer given lately to call `id`, if any.
    func answer(to id: String) -> String? { recentAnswers[id] }

    func isRunning(_ id: String) -> Bool { running.contains(id) }

    mutating func startRunning(_ id: String) { running.insert(id) }

    /// Call `id` was answered with `text`: remembered (the oldest beyond `rememberedAnswers` forgotten).
    mutating func remember(answer text: String, for id: String) {
        running.remove(id)
        if recentAnswers.updateValue(text, forKey: id) == nil { recentAnswerOrder.append(id) }
        guard recentAnswerOrder.count > Self.rememberedAnswers else { return }
        let excess = recentAnswerOrder.count - Self.rememberedAnswers
        for old in recentAnswerOrder.prefix(excess) { recentAnswers[old] = nil }
        recentAnswerOrder.removeFirst(excess)
    }
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
