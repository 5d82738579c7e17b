import GatewayCluster
import GatewayCore

/// `--cluster`: the NATS servers, this node's name, and how to reach the servers.
package struct ClusterConfiguration: Sendable {
    package var servers: [String]
    package var node: String
    package var token: String?
    package var caPath: String?
    package var certificatePath: String?
    package var keyPath: String?
    package var credentialsPath: String?
    /// How long a node's presence lasts without a refresh: a node that died is dropped after this.
    package var presenceTTL: Double = 6
    /// Copies of the presence bucket the JetStream cluster keeps (1 on a single NATS server).
    package var replicas = 1

    package init(servers: [String], node: String) {
        self.servers = servers
        self.node = node
    }

    var linkSettings: ClusterLink.Settings {
        ClusterLink.Settings(
            connection: NATSConnection.Options(
                servers: servers, name: "godot-mcp-gateway \(node)", token: token, caFile: caPath, certificateFile: certificatePath,
                keyFile: keyPath, credentialsFile: credentialsPath),
            node: node, presenceTTL: presenceTTL, replicas: replicas)
    }
}
