import GatewayCluster
import GatewayCore
import GatewayEngine
import Logging

/// `--cluster`: joins the cluster over NATS. What arrives from the other nodes comes in on libnats'
/// threads and is posted to the inbox; the core decides, and `pump` sends its forwarded calls.
extension ServiceLoop {
    func startCluster(_ configuration: ClusterConfiguration) throws {
        core.joinCluster(ClusterSettings(node: configuration.node, presenceTTL: configuration.presenceTTL), hash: { Digest.sha256Hex(Array($0.utf8)) })
        let inbox = self.inbox
        let logger = self.logger
        let node = configuration.node
        let callbacks = ClusterLink.Callbacks(
            call: { bytes, reply in inbox.post { $0.handle(.clusterCall(bytes: bytes, replyTo: reply)) } },
            answer: { bytes in inbox.post { $0.handle(.clusterAnswer(bytes: bytes)) } },
            presence: { bytes in inbox.post { $0.handle(.clusterPresence(bytes: bytes)) } },
            nodeLeft: { gone in inbox.post { $0.handle(.clusterNodeLeft(gone)) } },
            linkChanged: { state in
                inbox.post { loop in
                    let wasConnected = loop.core.isClusterConnected
                    switch state {
                    case .up:
                        loop.handle(.clusterLink(connected: true))
                        logger.notice("joined the cluster", metadata: ["node": "\(node)"])
                    case .down(let reason):
                        loop.handle(.clusterLink(connected: false))
                        var metadata: Logger.Metadata = ["node": "\(node)"]
                        if let reason { metadata["reason"] = "\(reason)" }
                        let what = wasConnected ? "lost the cluster's NATS server" : "cannot reach the cluster's NATS server"
                        logger.warning("\(what); serving this node's editors, reconnecting", metadata: metadata)
                    case .closed(let reason):
                        loop.handle(.clusterLink(connected: false))
                        logger.warning(
                            "not in the cluster: the NATS server closed this node's connection (check --cluster-token, --cluster-creds and the TLS options, then restart); serving this node's editors",
                            metadata: ["node": "\(node)", "reason": "\(reason ?? "not given")"])
                    }
                }
            },
            problem: { problem in logger.warning("cluster: \(problem)") })
        do {
            clusterLink = try ClusterLink(configuration.linkSettings, callbacks: callbacks)
            publishPresenceIfChanged()
        } catch {
            throw GatewayStartError.clusterFailed(reason: "\(error)")
        }
        logger.notice("cluster node started", metadata: ["node": "\(node)", "servers": "\(configuration.servers.joined(separator: ","))"])
    }
}

extension ServiceLoop {
    /// This node's editors changed (the core's debounced `toolsChanged`, so a connection storm publishes
    /// a few times rather than once per editor): the link publishes the new presence.
    func publishPresenceIfChanged() {
        guard let clusterLink, core.takePresenceChange() else { return }
        // Half the server's limit leaves room for what the size estimate leaves out. Encoded before the
        // link connected, parts are re-encoded when it does (the core marks the presence changed then).
        let serverLimit = clusterLink.maxMessageSize
        let budget = serverLimit > 0 ? min(ClusterPresence.partBudget, serverLimit / 2) : ClusterPresence.partBudget
        clusterLink.publishPresence(core.localPresence(partBudget: budget).map { Array($0.jsonText.utf8) })
    }
}
