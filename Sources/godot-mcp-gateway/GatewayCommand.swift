import ArgumentParser
import FoundationEssentials
import Glibc
import GatewayCore
import GatewayServer
import Logging

/// Command line of the gateway. Every option can also come from an environment variable (shown in
/// --help), which suits MCP host configuration files; a flag wins over its variable.
@main
struct GatewayCommand: ParsableCommand {
    /// Every default lives in the configuration structs; the help text and the fallbacks read them there.
    private static let defaults = ServerConfiguration()
    static let defaultLogLevel = "info"

    static let configuration = CommandConfiguration(
        commandName: "godot-mcp-gateway",
        abstract: "MCP server on stdio that drives Godot editors connected over WebSocket.",
        version: GatewayVersion.current,
        // Without a subcommand the gateway runs (the options below); `configure` sets up MCP hosts.
        subcommands: [ConfigureCommand.self])

    @Option(help: "Address to listen on; 'localhost' listens on 127.0.0.1 and ::1. [env: GODOT_MCP_HOST, default: \(Self.defaults.host)]")
    var host: String?

    @Option(help: "WebSocket and HTTP port. [env: GODOT_MCP_PORT, default: \(Self.defaults.port)]")
    var port: Int?

    @Option(help: "Seconds between heartbeats. [env: GODOT_MCP_HEARTBEAT_INTERVAL, default: \(Self.defaults.settings.heartbeatInterval.formatted)]")
    var heartbeatInterval: Double?

    @Option(help: "Seconds of silence after which a client is removed. [env: GODOT_MCP_HEARTBEAT_TIMEOUT, default: \(Self.defaults.settings.heartbeatTimeout.formatted)]")
    var heartbeatTimeout: Double?

    @Option(help: "Seconds an editor has to answer a command. [env: GODOT_MCP_COMMAND_TIMEOUT, default: \(Self.defaults.settings.commandTimeout.formatted)]")
    var commandTimeout: Double?

    @Option(help: "Seconds after start during which a call that finds no suitable editor waits for one (up to the command timeout) instead of failing. [env: GODOT_MCP_STARTUP_GRACE, default: \(Self.defaults.settings.startupGrace.formatted)]")
    var startupGrace: Double?

    @Option(help: "Seconds a scene lock (lock_scene) lasts unless renewed. [env: GODOT_MCP_LOCK_TIMEOUT, default: \(Self.defaults.settings.lockTimeout.formatted)]")
    var lockTimeout: Double?

    @Option(help: "Most calls waiting for an editor to connect at once. [env: GODOT_MCP_MAX_QUEUED, default: \(Self.defaults.settings.maxWaitingCalls)]")
    var maxQueued: Int?

    @Option(help: "Seconds an editor that dropped keeps its client id and unanswered commands for a reconnect that presents its resume token; 0 turns resuming off. [env: GODOT_MCP_RESUME_WINDOW, default: \(Self.defaults.settings.resumeWindow.formatted)]")
    var resumeWindow: Double?

    @Option(help: "Seconds calls for an editor that dropped wait for it to resume (in flight or naming it) before failing; its id stays reserved for the resume window. [env: GODOT_MCP_RESUME_GRACE, default: \(Self.defaults.settings.resumeGrace.formatted)]")
    var resumeGrace: Double?

    @Option(help: "Largest message accepted from a client, in bytes. [env: GODOT_MCP_MAX_MESSAGE_SIZE, default: \(Self.defaults.maxMessageSize)]")
    var maxMessageSize: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical. [env: GODOT_MCP_LOG_LEVEL, default: \(Self.defaultLogLevel)]")
    var logLevel: String?

    @Option(help: "File holding the access token, created (mode 0600) if missing. The variable GODOT_MCP_TOKEN gives the token itself instead. [env: GODOT_MCP_TOKEN_FILE, default: ~/.config/godot-mcp-gateway/token]")
    var tokenFile: String?

    @Flag(help: "Accept clients without a token (loopback only). [env: GODOT_MCP_NO_AUTH=1]")
    var noAuth = false

    @Option(help: "Seconds a client may take to authenticate before it is dropped. [env: GODOT_MCP_AUTH_TIMEOUT, default: \(Self.defaults.security.authTimeout.formatted)]")
    var authTimeout: Double?

    @Option(help: "An Origin allowed to open WebSockets (repeatable), e.g. https://studio.example. [env: GODOT_MCP_ALLOW_ORIGIN, comma-separated]")
    var allowOrigin: [String] = []

    @Option(help: "A Host name clients may use besides loopback names (repeatable). [env: GODOT_MCP_ALLOW_HOST, comma-separated]")
    var allowHost: [String] = []

    @Option(help: "PEM certificate (chain) for WSS. [env: GODOT_MCP_TLS_CERT]")
    var tlsCert: String?

    @Option(help: "PEM private key for WSS. [env: GODOT_MCP_TLS_KEY]")
    var tlsKey: String?

    @Option(help: "PEM CA that client certificates must chain to (mutual TLS). [env: GODOT_MCP_TLS_CLIENT_CA]")
    var tlsClientCa: String?

    @Flag(help: "Allow listening beyond loopback without TLS (e.g. behind a TLS reverse proxy). [env: GODOT_MCP_INSECURE=1]")
    var insecure = false

    @Option(help: "Most clients at once. [env: GODOT_MCP_MAX_CLIENTS, default: \(Self.defaults.security.maxClients)]")
    var maxClients: Int?

    @Option(help: "Most clients from one address. [env: GODOT_MCP_MAX_CLIENTS_PER_IP, default: \(Self.defaults.security.maxClientsPerAddress)]")
    var maxClientsPerIp: Int?

    @Option(help: "Messages per second one client may send, sustained (burst: twice that). [env: GODOT_MCP_RATE_LIMIT, default: \(Self.defaults.security.messagesPerSecond.formatted)]")
    var rateLimit: Double?

    @Option(help: "How a call that names no editor picks one of several: first, round-robin or least-busy. [env: GODOT_MCP_ROUTING, default: \(Self.defaults.settings.routing.rawValue)]")
    var routing: String?

    @Option(help: "Most commands one editor has in flight; the rest wait in its queue, each timeout starting when it is sent. [env: GODOT_MCP_EDITOR_CONCURRENCY, default: no limit]")
    var editorConcurrency: Int?

    @Option(help: "Bytes per second one client may send, sustained (burst: twice that); answers to the gateway's own commands are exempt. [env: GODOT_MCP_BYTE_RATE_LIMIT, default: \(Self.defaults.security.bytesPerSecond.formatted)]")
    var byteRateLimit: Double?

    @Option(help: "Most commands waiting for editors at once. [env: GODOT_MCP_MAX_COMMANDS_IN_FLIGHT, default: \(Self.defaults.security.maxCommandsInFlight)]")
    var maxCommandsInFlight: Int?

    @Flag(help: "Do not negotiate permessage-deflate compression with clients that offer it. [env: GODOT_MCP_NO_PERMESSAGE_DEFLATE=1]")
    var noPermessageDeflate = false

    @Flag(help: "Run as a service: no MCP on stdio (MCP hosts reach it over the socket or through a gateway with --upstream); stops on SIGTERM/SIGINT, reloads the certificate and token file on SIGHUP, tells systemd when it is ready (Type=notify). [env: GODOT_MCP_SERVE=1]")
    var serve = false

    @Option(help: "Serve this MCP host through a remote gateway (ws:// or wss://host:port), e.g. a studio service: no listener here, every call relayed over one connection that reconnects with backoff. The token is this gateway's own (GODOT_MCP_TOKEN or the token file). [env: GODOT_MCP_UPSTREAM]")
    var upstream: String?

    @Option(help: "PEM CA file for a private CA behind --upstream wss://. [env: GODOT_MCP_UPSTREAM_CA]")
    var upstreamCa: String?

    @Option(help: "PEM client certificate (with --upstream-key) for an upstream that requires mutual TLS. [env: GODOT_MCP_UPSTREAM_CERT]")
    var upstreamCert: String?

    @Option(help: "PEM private key of --upstream-cert. [env: GODOT_MCP_UPSTREAM_KEY]")
    var upstreamKey: String?

    @Option(help: "Toolsets each MCP session lists at first (comma-separated; 'default', 'all', or names: scene, nodes, scripts, editor, play, runtime, tests, resources, project, files, signals, gateway, other); enable_toolset lists more. [env: GODOT_MCP_TOOLSETS, default: scene,nodes,scripts,editor,play,gateway,other]")
    var toolsets: String?

    @Option(help: "A file of people's own tokens, one 'name token' (or 'name token read-only') per line, mode 0600, re-read on SIGHUP: names reach the audit log and list_clients, one person's token is revoked alone, read-only ones may only call read-only tools. [env: GODOT_MCP_TOKENS_FILE]")
    var tokens: String?

    @OptionGroup(title: "Cluster")
    var clusterOptions: ClusterOptions

    @Flag(help: .hidden)
    var echo = false

    @Option(help: "Append a JSON-lines audit log of tool calls and refused connections here (size-capped). [env: GODOT_MCP_AUDIT_LOG]")
    var auditLog: String?

    func run() throws {
        let resolved = try resolve(environment: ProcessInfo.processInfo.environment)
        // Logs go to stderr only: stdout carries the MCP protocol.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = resolved.logLevel
            return handler
        }
        var logger = Logger(label: "godot-mcp-gateway")
        logger.logLevel = resolved.logLevel
        for note in resolved.notes { logger.log(level: note.level, "\(note.message)", metadata: note.metadata) }
        let status = GatewayApp(configuration: resolved.configuration, tokenSource: resolved.tokenSource, logger: logger).run()
        if status != 0 { throw ExitCode(status) }
    }
}

private extension Double {
    /// 30 rather than 30.0, as a person would write it in a flag.
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
