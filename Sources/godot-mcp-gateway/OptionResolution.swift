import ArgumentParser
import FoundationEssentials
import GatewayCore
import GatewayServer
import Logging

/// What the command line and the environment resolve to, before anything starts.
struct ResolvedOptions {
    struct Note {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata = [:]
    }

    var configuration: ServerConfiguration
    var logLevel: Logger.Level
    /// Where the access token came from, for the banner (never the token itself).
    var tokenSource: String
    /// What resolving found worth saying once logging is set up (exposure warnings, the token file).
    var notes: [Note]
}

extension GatewayCommand {
    /// Resolves flags and the environment into the gateway's configuration: a function of the arguments
    /// (this value) and `environment`, tested without starting anything. It reads the token and token-list
    /// files and opens the audit log, as starting would; what it has to say goes into `notes`.
    func resolve(environment: [String: String]) throws -> ResolvedOptions {
        var notes: [ResolvedOptions.Note] = []
        func setting<T: LosslessStringConvertible>(_ flag: T?, _ name: String, _ fallback: T) throws -> T {
            if let flag { return flag }
            guard let raw = environment[name], !raw.isEmpty else { return fallback }
            guard let value = T(raw) else { throw ValidationError("\(name)=\(raw) is not valid") }
            return value
        }
        func optional(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func list(_ flag: [String], _ name: String) -> [String] {
            if !flag.isEmpty { return flag }
            return (environment[name] ?? "").split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
        }
        func enabled(_ flag: Bool, _ name: String) -> Bool {
            flag || ["1", "true", "yes"].contains((environment[name] ?? "").lowercased())
        }

        var configuration = ServerConfiguration()
        configuration.host = try setting(host, "GODOT_MCP_HOST", configuration.host)
        configuration.port = try setting(port, "GODOT_MCP_PORT", configuration.port)
        configuration.maxMessageSize = try setting(maxMessageSize, "GODOT_MCP_MAX_MESSAGE_SIZE", configuration.maxMessageSize)
        configuration.settings.heartbeatInterval = try setting(heartbeatInterval, "GODOT_MCP_HEARTBEAT_INTERVAL", configuration.settings.heartbeatInterval)
        configuration.settings.heartbeatTimeout = try setting(heartbeatTimeout, "GODOT_MCP_HEARTBEAT_TIMEOUT", configuration.settings.heartbeatTimeout)
        configuration.settings.commandTimeout = try setting(commandTimeout, "GODOT_MCP_COMMAND_TIMEOUT", configuration.settings.commandTimeout)
        configuration.settings.resumeWindow = try setting(resumeWindow, "GODOT_MCP_RESUME_WINDOW", configuration.settings.resumeWindow)
        configuration.settings.resumeGrace = try setting(resumeGrace, "GODOT_MCP_RESUME_GRACE", configuration.settings.resumeGrace)
        configuration.settings.startupGrace = try setting(startupGrace, "GODOT_MCP_STARTUP_GRACE", configuration.settings.startupGrace)
        configuration.settings.lockTimeout = try setting(lockTimeout, "GODOT_MCP_LOCK_TIMEOUT", configuration.settings.lockTimeout)
        guard configuration.settings.lockTimeout > 0, configuration.settings.lockTimeout.isFinite else {
            throw ValidationError("lock timeout must be a positive number of seconds")
        }
        configuration.settings.maxWaitingCalls = try setting(maxQueued, "GODOT_MCP_MAX_QUEUED", configuration.settings.maxWaitingCalls)
        guard configuration.settings.startupGrace >= 0, configuration.settings.startupGrace.isFinite else {
            throw ValidationError("startup grace must be zero or a positive number of seconds")
        }
        guard configuration.settings.maxWaitingCalls >= 0 else { throw ValidationError("max queued must be zero or more") }
        guard configuration.settings.resumeWindow >= 0, configuration.settings.resumeWindow.isFinite else {
            throw ValidationError("resume window must be zero or a positive number of seconds")
        }
        guard configuration.settings.resumeGrace >= 0, configuration.settings.resumeGrace.isFinite else {
            throw ValidationError("resume grace must be zero or a positive number of seconds")
        }
        var security = SecuritySettings()
        security.authTimeout = try setting(authTimeout, "GODOT_MCP_AUTH_TIMEOUT", security.authTimeout)
        security.allowedOrigins = Set(list(allowOrigin, "GODOT_MCP_ALLOW_ORIGIN"))
        security.allowedHosts = Set(list(allowHost, "GODOT_MCP_ALLOW_HOST"))
        security.maxClients = try setting(maxClients, "GODOT_MCP_MAX_CLIENTS", security.maxClients)
        security.maxClientsPerAddress = try setting(maxClientsPerIp, "GODOT_MCP_MAX_CLIENTS_PER_IP", security.maxClientsPerAddress)
        security.messagesPerSecond = try setting(rateLimit, "GODOT_MCP_RATE_LIMIT", security.messagesPerSecond)
        security.messageBurst = security.messagesPerSecond * 2
        security.bytesPerSecond = try setting(byteRateLimit, "GODOT_MCP_BYTE_RATE_LIMIT", security.bytesPerSecond)
        security.byteBurst = security.bytesPerSecond * 2
        security.maxCommandsInFlight = try setting(maxCommandsInFlight, "GODOT_MCP_MAX_COMMANDS_IN_FLIGHT", security.maxCommandsInFlight)
        if let chosen = optional(toolsets, "GODOT_MCP_TOOLSETS") {
            do { try configuration.chooseToolsets(chosen) } catch { throw ValidationError("--toolsets: \(error)") }
        }
        let levelName = try setting(logLevel, "GODOT_MCP_LOG_LEVEL", Self.defaultLogLevel)
        let routingName = try setting(routing, "GODOT_MCP_ROUTING", configuration.settings.routing.rawValue)
        guard let policy = RoutingPolicy(rawValue: routingName) else {
            throw ValidationError("unknown routing '\(routingName)' (first, round-robin or least-busy)")
        }
        configuration.settings.routing = policy
        if !enabled(noPermessageDeflate, "GODOT_MCP_NO_PERMESSAGE_DEFLATE") { configuration.settings.features.append("compression") }
        if let concurrency = try editorConcurrency ?? environment["GODOT_MCP_EDITOR_CONCURRENCY"].flatMap({ $0.isEmpty ? nil : $0 }).map({
            guard let value = Int($0) else { throw ValidationError("GODOT_MCP_EDITOR_CONCURRENCY=\($0) is not valid") }
            return value
        }) {
            guard concurrency > 0 else { throw ValidationError("editor concurrency must be at least 1") }
            configuration.settings.editorConcurrency = concurrency
        }

        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw ValidationError("unknown log level '\(levelName)'")
        }
        guard (1...65535).contains(configuration.port) else { throw ValidationError("port must be 1-65535") }
        guard configuration.maxMessageSize >= 1024 else { throw ValidationError("max message size must be at least 1024 bytes") }
        let settings = configuration.settings
        for (name, value) in [
            ("heartbeat interval", settings.heartbeatInterval), ("heartbeat timeout", settings.heartbeatTimeout),
            ("command timeout", settings.commandTimeout), ("auth timeout", security.authTimeout), ("rate limit", security.messagesPerSecond), ("byte rate limit", security.bytesPerSecond),
        ] {
            guard value > 0, value.isFinite else { throw ValidationError("\(name) must be a positive number") }
        }
        for (name, value) in [("max clients", security.maxClients), ("max clients per ip", security.maxClientsPerAddress),
                              ("max commands in flight", security.maxCommandsInFlight)] {
            guard value > 0 else { throw ValidationError("\(name) must be at least 1") }
        }

        let certificate = optional(tlsCert, "GODOT_MCP_TLS_CERT")
        let key = optional(tlsKey, "GODOT_MCP_TLS_KEY")
        let clientCA = optional(tlsClientCa, "GODOT_MCP_TLS_CLIENT_CA")
        switch (certificate, key) {
        case (let certificate?, let key?):
            configuration.tls = TLSConfiguration(certificatePath: certificate, privateKeyPath: key, clientCAPath: clientCA)
        case (nil, nil):
            if clientCA != nil { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key") }
        default:
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        for path in [certificate, key, clientCA].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("cannot read \(path)")
        }

        let authentication = !enabled(noAuth, "GODOT_MCP_NO_AUTH")
        let warnings: [String]
        do {
            warnings = try ExposurePolicy.check(
                host: configuration.host, tls: configuration.tls != nil, authentication: authentication,
                insecure: enabled(insecure, "GODOT_MCP_INSECURE"))
        } catch {
            throw ValidationError("\(error)")
        }
        notes += warnings.map { ResolvedOptions.Note(level: .warning, message: $0) }
        security.acceptAnyHost = !ExposurePolicy.isLoopbackOnly(host: configuration.host) && security.allowedHosts.isEmpty

        var tokenSource = "none (--no-auth)"
        if authentication {
            if let token = environment["GODOT_MCP_TOKEN"], !token.isEmpty {
                guard token.count >= 16 else { throw ValidationError("GODOT_MCP_TOKEN must be at least 16 characters") }
                security.token = token
                tokenSource = "the GODOT_MCP_TOKEN variable"
            } else {
                let path = optional(tokenFile, "GODOT_MCP_TOKEN_FILE") ?? TokenFile.defaultPath(environment: environment)
                do {
                    let (token, created) = try TokenFile.loadOrCreate(at: path)
                    security.token = token
                    tokenSource = path
                    configuration.tokenFilePath = path
                    notes.append(.init(level: .info, message: created ? "created a new access token" : "using the access token", metadata: ["file": "\(path)"]))
                } catch {
                    throw ValidationError("\(error)")
                }
            }
        }
        if let path = optional(tokens, "GODOT_MCP_TOKENS_FILE") {
            guard authentication else { throw ValidationError("--tokens and --no-auth exclude each other") }
            do {
                security.namedTokens = try TokenListFile.load(path)
            } catch {
                throw ValidationError("\(error)")
            }
            configuration.tokensFilePath = path
        }
        configuration.security = security
        configuration.permessageDeflate = !enabled(noPermessageDeflate, "GODOT_MCP_NO_PERMESSAGE_DEFLATE")
        configuration.serve = enabled(serve, "GODOT_MCP_SERVE")
        if let url = optional(upstream, "GODOT_MCP_UPSTREAM") {
            guard var parsed = UpstreamConfiguration(url: url) else {
                throw ValidationError("--upstream must be a ws:// or wss:// URL with a host, e.g. wss://gateway.studio.example:8765")
            }
            parsed.caPath = optional(upstreamCa, "GODOT_MCP_UPSTREAM_CA")
            parsed.certificatePath = optional(upstreamCert, "GODOT_MCP_UPSTREAM_CERT")
            parsed.keyPath = optional(upstreamKey, "GODOT_MCP_UPSTREAM_KEY")
            guard (parsed.certificatePath == nil) == (parsed.keyPath == nil) else {
                throw ValidationError("--upstream-cert and --upstream-key go together")
            }
            guard !configuration.serve else { throw ValidationError("--upstream and --serve exclude each other") }
            guard authentication else { throw ValidationError("--upstream needs the upstream's token (not --no-auth)") }
            configuration.upstream = parsed
        }
        configuration.cluster = try clusterOptions.configuration(port: configuration.port, environment: environment)
        if configuration.cluster != nil, configuration.upstream != nil {
            throw ValidationError("--cluster and --upstream exclude each other: a node serves its host itself")
        }
        if echo {
            guard ExposurePolicy.isLoopbackOnly(host: configuration.host) else {
                throw ValidationError("--echo is a test mode and listens on loopback only")
            }
            notes.append(.init(level: .warning, message: "echo mode (test only): messages are echoed back, the protocol is off"))
            configuration.echoMode = true
        }

        if let path = optional(auditLog, "GODOT_MCP_AUDIT_LOG") {
            do {
                configuration.audit = try AuditLog(path: path)
            } catch {
                throw ValidationError("audit log: \(error)")
            }
        }

        return ResolvedOptions(configuration: configuration, logLevel: level, tokenSource: tokenSource, notes: notes)
    }
}

