import Foundation
import Logging

/// Runs the whole gateway on the calling thread: one libwebsockets service loop owns the WebSocket
/// listeners, every connection, and the MCP host's stdin and stdout. Signals reach it through its
/// inbox; it returns once editors have been told of the shutdown and the host's answers are written.
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
    public func run() -> Int32 {
        LibWebSocketsLog.configure(verbose: logger.logLevel <= .debug)
        let clock = SystemClock()
        let core = GatewayCore(
            settings: configuration.settings, security: configuration.security, clock: clock, logger: logger,
            audit: configuration.audit)
        let inbox = ServiceInbox()
        let loop = ServiceLoop(
            core: core, inbox: inbox, clock: clock, maxMessageSize: configuration.maxMessageSize,
            maxQueuedBytes: configuration.maxQueuedBytes, echoMode: configuration.echoMode, logger: logger)
        let listeningOn: [String]
        do {
            listeningOn = try loop.open(
                plan: ListenPlan.make(host: configuration.host), port: configuration.port, tls: configuration.tls,
                permessageDeflate: configuration.permessageDeflate)
            let hostLineLimit = configuration.maxMessageSize + ServerConfiguration.requestEnvelopeAllowance
            let stdio = StdioChannel(
                maxLineSize: hostLineLimit, backlogLimit: configuration.maxHostBacklog, logger: logger)
            let dispatcher = MCPDispatcher(
                core: core, audit: configuration.audit, maxLineSize: hostLineLimit, logger: logger,
                write: { [unowned stdio] line in stdio.send(line) })
            try loop.attach(stdio: stdio, dispatcher: dispatcher)
        } catch {
            logger.critical("\(error)")
            return 1
        }
        logger.notice("WebSocket server listening", metadata: ["on": "\(listeningOn.joined(separator: ", "))"])
        if isatty(STDIN_FILENO) == 1 {
            StartupBanner.print(listeningOn: listeningOn, configuration: configuration, tokenSource: tokenSource)
        }
        let trigger = ShutdownTrigger { [logger] number in
            inbox.post { core in
                logger.info("shutting down", metadata: ["reason": "signal \(String(cString: strsignal(number)))"])
                core.beginShutdown()
            }
        }
        loop.run()
        trigger.cancel()
        logger.info("stopped")
        return 0
    }
}
