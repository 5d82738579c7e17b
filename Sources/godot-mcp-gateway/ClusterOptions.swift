import ArgumentParser
import GatewayCore
import GatewayServer
import Glibc

/// The command line of `--cluster` (a node of a cluster of gateways over NATS).
struct ClusterOptions: ParsableArguments {
    @Option(help: "Join a cluster of gateways over NATS: the NATS servers, comma-separated (nats://host:4222,nats://...). Every node sees every node's editors; a call for another node's editor goes to that node. [env: GODOT_MCP_CLUSTER]")
    var cluster: String?

    @Option(help: "This node's name in the cluster: letters, digits, '-' and '_' (default: the host name and the port). [env: GODOT_MCP_NODE_NAME]")
    var nodeName: String?

    @Option(help: "The NATS servers' token. [env: GODOT_MCP_CLUSTER_TOKEN]")
    var clusterToken: String?

    @Option(help: "A NATS credentials file (user JWT and seed, as nsc writes it) for servers with decentralized auth. [env: GODOT_MCP_CLUSTER_CREDS]")
    var clusterCreds: String?

    @Option(help: "PEM CA file for NATS servers with TLS. [env: GODOT_MCP_CLUSTER_CA]")
    var clusterCa: String?

    @Option(help: "PEM client certificate (with --cluster-key) for NATS servers that require one. [env: GODOT_MCP_CLUSTER_CERT]")
    var clusterCert: String?

    @Option(help: "PEM private key of --cluster-cert. [env: GODOT_MCP_CLUSTER_KEY]")
    var clusterKey: String?

    @Option(help: "Seconds a node's presence lasts without a refresh (it refreshes three times within it); a node that died drops out after this. [env: GODOT_MCP_CLUSTER_PRESENCE_TTL, default: 6]")
    var clusterPresenceTtl: Double?

    @Option(help: "Copies of the presence bucket a JetStream cluster keeps: 3 on a three-server NATS cluster survives losing one server. [env: GODOT_MCP_CLUSTER_REPLICAS, default: 1]")
    var clusterReplicas: Int?

    /// nil without `--cluster`.
    func configuration(port: Int, environment: [String: String]) throws -> ClusterConfiguration? {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let list = value(cluster, "GODOT_MCP_CLUSTER") else { return nil }
        let servers = list.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty }
        guard !servers.isEmpty, servers.allSatisfy({ $0.hasPrefix("nats://") || $0.hasPrefix("tls://") }) else {
            throw ValidationError("--cluster takes nats:// (or tls://) URLs, comma-separated, e.g. nats://127.0.0.1:4222")
        }
        let node = value(nodeName, "GODOT_MCP_NODE_NAME") ?? Self.defaultNodeName(port: port)
        guard ClusterNames.isValid(node) else {
            throw ValidationError("--node-name '\(node)' may hold only letters, digits, '-' and '_' (at most 64)")
        }
        var configuration = ClusterConfiguration(servers: servers, node: node)
        configuration.token = value(clusterToken, "GODOT_MCP_CLUSTER_TOKEN")
        configuration.caPath = value(clusterCa, "GODOT_MCP_CLUSTER_CA")
        configuration.credentialsPath = value(clusterCreds, "GODOT_MCP_CLUSTER_CREDS")
        configuration.certificatePath = value(clusterCert, "GODOT_MCP_CLUSTER_CERT")
        configuration.keyPath = value(clusterKey, "GODOT_MCP_CLUSTER_KEY")
        guard (configuration.certificatePath == nil) == (configuration.keyPath == nil) else {
            throw ValidationError("--cluster-cert and --cluster-key go together")
        }
        if let ttl = clusterPresenceTtl ?? value(nil, "GODOT_MCP_CLUSTER_PRESENCE_TTL").flatMap(Double.init) {
            guard ttl >= 1, ttl <= 3600 else { throw ValidationError("--cluster-presence-ttl must be between 1 and 3600 seconds") }
            configuration.presenceTTL = ttl
        }
        if let replicas = clusterReplicas ?? value(nil, "GODOT_MCP_CLUSTER_REPLICAS").flatMap(Int.init) {
            guard (1...5).contains(replicas) else { throw ValidationError("--cluster-replicas must be between 1 and 5") }
            configuration.replicas = replicas
        }
        return configuration
    }

    /// The host name and the port, with anything a NATS subject cannot carry replaced.
    static func defaultNodeName(port: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let named = gethostname(&buffer, buffer.count - 1)
        let host = named == 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "gateway"
        let cleaned = String(host.prefix(50).map { ($0.isLetter || $0.isNumber) && $0.isASCII ? $0 : "-" })
        return "\(cleaned.isEmpty ? "gateway" : cleaned)-\(port)"
    }
}
