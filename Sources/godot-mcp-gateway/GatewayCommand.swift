import ArgumentParser
import Foundation
import Gateway
import Logging

/// Command line of the gateway. Every option can also come from an environment variable
/// (shown in --help), which is convenient in MCP host configuration files; a flag wins over it.
@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "godot-mcp-gateway",
        abstract: "MCP server on stdio that drives Godot editors connected over WebSocket.",
        version: GatewayVersion.current)

    @Option(help: "Address to listen on; 'localhost' listens on 127.0.0.1 and ::1. [env: GODOT_MCP_HOST, default: localhost]")
    var host: String?

    @Option(help: "WebSocket and HTTP port. [env: GODOT_MCP_PORT, default: 8765]")
    var port: Int?

    @Option(help: "Seconds between heartbeats. [env: GODOT_MCP_HEARTBEAT_INTERVAL, default: 30]")
    var heartbeatInterval: Double?

    @Option(help: "Seconds of silence after which a client is removed. [env: GODOT_MCP_HEARTBEAT_TIMEOUT, default: 60]")
    var heartbeatTimeout: Double?

    @Option(help: "Seconds an editor has to answer a command. [env: GODOT_MCP_COMMAND_TIMEOUT, default: 10]")
    var commandTimeout: Double?

    @Option(help: "Largest message accepted from a client, in bytes. [env: GODOT_MCP_MAX_MESSAGE_SIZE, default: 16777216]")
    var maxMessageSize: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical. [env: GODOT_MCP_LOG_LEVEL, default: info]")
    var logLevel: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting<T: LosslessStringConvertible>(_ flag: T?, _ name: String, _ fallback: T) throws -> T {
            if let flag { return flag }
            guard let raw = environment[name] else { return fallback }
            guard let value = T(raw) else { throw ValidationError("\(name)=\(raw) is not valid") }
            return value
        }

        var configuration = ServerConfiguration()
        configuration.host = try setting(host, "GODOT_MCP_HOST", "localhost")
        configuration.port = try setting(port, "GODOT_MCP_PORT", 8765)
        configuration.maxMessageSize = try setting(maxMessageSize, "GODOT_MCP_MAX_MESSAGE_SIZE", 16 * 1024 * 1024)
        configuration.settings.heartbeatInterval = try setting(heartbeatInterval, "GODOT_MCP_HEARTBEAT_INTERVAL", 30)
        configuration.settings.heartbeatTimeout = try setting(heartbeatTimeout, "GODOT_MCP_HEARTBEAT_TIMEOUT", 60)
        configuration.settings.commandTimeout = try setting(commandTimeout, "GODOT_MCP_COMMAND_TIMEOUT", 10)
        let levelName = try setting(logLevel, "GODOT_MCP_LOG_LEVEL", "info")

        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw ValidationError("unknown log level '\(levelName)'")
        }
        guard (1...65535).contains(configuration.port) else { throw ValidationError("port must be 1-65535") }
        guard configuration.maxMessageSize >= 1024 else { throw ValidationError("max message size must be at least 1024 bytes") }
        let settings = configuration.settings
        for (name, value) in [("heartbeat interval", settings.heartbeatInterval), ("heartbeat timeout", settings.heartbeatTimeout), ("command timeout", settings.commandTimeout)] {
            guard value > 0, value.isFinite else { throw ValidationError("\(name) must be a positive number of seconds") }
        }

        // Logs go to stderr only: stdout carries the MCP protocol.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "godot-mcp-gateway")
        logger.logLevel = level

        let status = await GatewayApp(configuration: configuration, logger: logger).run()
        if status != 0 { throw ExitCode(status) }
    }
}


