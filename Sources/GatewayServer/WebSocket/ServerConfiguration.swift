import GatewayCore
import GatewayMCP
import FoundationEssentials
import Glibc
import Logging

/// How the WebSocket side is configured.
package struct ServerConfiguration: Sendable {
    package var host: String = "localhost"
    package var port: Int = 8765
    package var maxMessageSize: Int = 16 * 1024 * 1024
    /// Unread output one client may pile up before it is dropped (at least one largest message fits).
    package var maxQueuedBytes: Int = 16 * 1024 * 1024

    /// The send-queue cap in force: never below one largest command (a host request may carry
    /// `maxMessageSize` of arguments plus its envelope), or such a command would cut off its editor.
    var effectiveMaxQueuedBytes: Int { max(maxQueuedBytes, maxMessageSize + Self.requestEnvelopeAllowance) }
    package var settings = GatewaySettings()
    package var security = SecuritySettings()
    /// WSS when set.
    package var tls: TLSConfiguration?
    package var audit: AuditLog?
    /// Test-only (`--echo`, loopback only): echo messages instead of speaking the protocol, so WebSocket
    /// conformance suites can exercise the gateway's framing, UTF-8 and close handling.
    package var echoMode = false
    /// Negotiate permessage-deflate (RFC 7692) with clients that offer it. Godot's WebSocketPeer does not
    /// offer it, so editors are unaffected; a client that does costs zlib state and buffers once it talks
    /// (figures in docs/design-notes.md).
    package var permessageDeflate = true
    /// `--upstream`: relay every call to a remote gateway; no listener of its own.
    package var upstream: UpstreamConfiguration?
    /// `--cluster`: join a cluster of gateways over NATS.
    package var cluster: ClusterConfiguration?
    /// Service mode (`--serve`): no MCP on stdio; runs until SIGTERM/SIGINT; SIGHUP reloads.
    package var serve = false
    /// Where the access token was read from, so a reload can read it again (nil: from the environment).
    package var tokenFilePath: String?
    /// The per-person token list (`--tokens`), re-read on reload.
    package var tokensFilePath: String?
    /// Answers the MCP host may leave unread before the gateway stops taking its requests (backpressure).
    package var maxHostBacklog: Int = 16 * 1024 * 1024
    /// `--toolsets`: what each MCP session's `tools/list` shows until it enables or disables sets.
    package var toolsets: Set<String> = Toolsets.defaultSelection

    /// Takes `--toolsets` text (comma-separated set names, `default`, `all`); the error names the sets.
    package mutating func chooseToolsets(_ text: String) throws {
        switch Toolsets.parse(text) {
        case .success(let chosen): toolsets = chosen
        case .failure(let error): throw error
        }
    }

    /// Room for the JSON-RPC envelope around a request whose arguments are as large as a message may be.
    static let requestEnvelopeAllowance = 64 * 1024

    package init() {}
}

/// PEM files for WSS. With `clientCAPath`, clients must present a certificate that CA signed (mutual TLS).
package struct TLSConfiguration: Sendable, Equatable {
    package var certificatePath: String
    package var privateKeyPath: String
    package var clientCAPath: String?

    package init(certificatePath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}
