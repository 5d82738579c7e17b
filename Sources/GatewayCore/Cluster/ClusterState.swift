/// What one gateway node knows of the others in its cluster (`--cluster`): their editors, from the
/// presence each publishes, and the calls it forwarded to them that are not answered yet.
struct ClusterState {
    /// This node's name; other nodes address calls for its editors to it.
    let node: String
    /// How long another node's presence counts without a refresh.
    let presenceTTL: Double
    var nodes: [String: RemoteNode] = [:]
    var forwarded: [String: ForwardedCommand] = [:]
    /// Set when this node's editors changed and its presence should be published again.
    var presenceChanged = true
    /// Whether the link to the broker is up (reported in /health and the stats).
    var connected = false
}

/// Another node's editors, as its last presence said, and when that presence lapses.
struct RemoteNode {
    var editors: [ClientRecord]
    var expires: Double
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
    var name: String { request.name }
    var reply: (CommandOutcome) -> Void { request.reply }
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
