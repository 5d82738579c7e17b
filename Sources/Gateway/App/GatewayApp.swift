import Foundation
import Logging
import MCP

/// Runs the whole gateway: the WebSocket server, the MCP server on stdio, and the orderly shutdown
/// that tells editors before closing them.
public struct GatewayApp {
    public var configuration: ServerConfiguration
    /// Where the access token comes from, for the banner (never the token itself).
    public var tokenSource: String
    public var logger: Logger

    public init(configuration: ServerConfiguration, tokenSource: String, logger: Logger) {
        self.configuration = configuration
        self.tokenSource = tokenSource
        self.logger = logger
    }

    /// Returns the process exit status.
    public func run() async -> Int32 {
        let trigger = ShutdownTrigger()
        let server: GatewayServer
        do {
            server = try GatewayServer.start(configuration: configuration, logger: logger)
        } catch {
            logger.critical("\(error)")
            return 1
        }
        logger.notice("WebSocket server listening", metadata: ["on": "\(server.listeningOn.joined(separator: ", "))"])
        if isatty(STDIN_FILENO) == 1 {
            StartupBanner.print(listeningOn: server.listeningOn, configuration: configuration, tokenSource: tokenSource)
        }

        let transport = StdioTransport(logger: logger)
        let mcpServer: Server
        do {
            mcpServer = try await MCPService(gateway: server, audit: configuration.audit, logger: logger).start(on: transport)
        } catch {
            logger.critical("could not start the MCP server on stdio: \(error)")
            await server.shutdown()
            return 1
        }
        Task {
            await transport.waitForEndOfInput()
            trigger.fire(.endOfInput)
        }

        let reason = await trigger.next()
        logger.info("shutting down", metadata: ["reason": "\(reason.description)"])
        if reason == .endOfInput {
            // Calls the host sent just before closing stdin still get their answers.
            let left = await transport.drainResponses(timeout: configuration.settings.commandTimeout + 1)
            if left > 0 { logger.warning("\(left) MCP requests were still unanswered at exit") }
        }
        await server.shutdown()
        // Commands failed by the shutdown itself answer quickly; give their responses a moment to go out.
        _ = await transport.drainResponses(timeout: 1)
        await mcpServer.stop()
        logger.info("stopped")
        return 0
    }
}
