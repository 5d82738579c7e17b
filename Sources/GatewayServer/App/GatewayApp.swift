import GatewayCore
import GatewayEngine
import GatewaySystem
import GatewayMCP
import FoundationEssentials
import Glibc
import Logging

/// Runs the whole gateway on the calling thread: one libwebsockets service loop owns the WebSocket
/// listeners, every connection, and the MCP host's stdin and stdout. Signals reach it through its
/// inbox; it returns once editors have been told of the shutdown and the host's answers are written.
package struct GatewayApp {
    package var configuration: ServerConfiguration
    /// Where the access token comes from, for the banner (never the token itself).
    package var tokenSource: String
    package var logger: Logger

    package init(configuration: ServerConfiguration, tokenSource: String, logger: Logger) {
        self.configuration = configuration
        self.tokenSource = tokenSource
        self.logger = logger
    }

    /// Returns the process exit status.
    package func run() -> Int32 {
        LibWebSocketsLog.configure(verbose: logger.logLevel <= .debug)
        let clock = TurnClock()
        let core = GatewayCore(
            settings: configuration.settings, security: configuration.security, clock: clock, logger: logger,
            auditing: configuration.audit != nil, makeID: RandomUUID.make)
        let inbox = ServiceInbox()
        let hostLineLimit = configuration.maxMessageSize + ServerConfiguration.requestEnvelopeAllowance
        let engine = GatewayEngine(
            core: core, servesHostOnStdio: !configuration.serve, hostLineLimit: hostLineLimit,
            hostBacklogLimit: configuration.maxHostBacklog, toolsets: configuration.toolsets,
            logger: logger, auditing: configuration.audit != nil, hash: Digest.sha256Hex)
        let loop = ServiceLoop(
            engine: engine, inbox: inbox, clock: clock, maxMessageSize: configuration.maxMessageSize,
            maxQueuedBytes: configuration.effectiveMaxQueuedBytes, echoMode: configuration.echoMode, audit: configuration.audit,
            logger: logger)
        var listeningOn: [String] = []
        var relayThrough: ListenSettings?
        do {
            let plan = ListenPlan.make(host: configuration.host)
            try loop.open(tls: configuration.tls, disableIPv6: plan.disableIPv6, upstream: configuration.upstream)
            let settings = ListenSettings(
                plan: plan, port: configuration.port, tls: configuration.tls, permessageDeflate: configuration.permessageDeflate,
                token: configuration.security.token)
            switch configuration.upstream != nil ? .success([]) : loop.listen(
                plan: plan, port: configuration.port, tls: configuration.tls, permessageDeflate: configuration.permessageDeflate) {
            case .success(let bound):
                listeningOn = bound
            case .failure(.portInUse(let address, let reason)):
                // Another MCP host started a gateway first: serve this host through it, and take the port
                // over if it exits. (A service owns its port or does not start.)
                guard !configuration.serve, configuration.tls == nil, GatewayProbe.isGateway(port: configuration.port) else {
                    throw GatewayStartError.cannotListen(address: address, reason: reason)
                }
                relayThrough = settings
            case .failure(let failure):
                throw failure.startError
            }
            if !configuration.serve {
                try loop.attach(stdio: StdioChannel(logger: logger))
            }
            if let cluster = configuration.cluster { try loop.startCluster(cluster) }
            if let upstream = configuration.upstream {
                loop.startUpstream(upstream, token: configuration.security.token)
            } else if let relayThrough {
                loop.listenSettings = relayThrough
                loop.startRelaying(relayThrough)
            } else {
                loop.listenSettings = settings
            }
        } catch {
            logger.critical("\(error)")
            return 1
        }
        if let upstream = configuration.upstream {
            logger.notice("serving this MCP host through the upstream gateway (no listener here)", metadata: ["upstream": "\(upstream.url)"])
        } else if relayThrough != nil {
            logger.notice("another gateway holds the port; relaying this MCP host's calls through it", metadata: ["port": "\(configuration.port)"])
        } else {
            logger.notice("WebSocket server listening", metadata: ["on": "\(listeningOn.joined(separator: ", "))"])
        }
        if isatty(STDIN_FILENO) == 1, !configuration.serve {
            StartupBanner.print(listeningOn: listeningOn, configuration: configuration, tokenSource: tokenSource)
        }
        let notifier = SystemdNotifier()
        let serve = configuration.serve, tls = configuration.tls, tokenFile = configuration.tokenFilePath
        let tokensList = configuration.tokensFilePath
        let trigger = ShutdownTrigger { [logger] number in
            if serve, number == SIGHUP {
                _ = inbox.post { loop in
                    notifier.notify("RELOADING=1")
                    let problems = loop.reload(tls: tls, tokenFile: tokenFile, tokensList: tokensList)
                    problems.forEach { logger.error("reload: \($0)") }
                    if problems.isEmpty { logger.notice("reloaded the certificate and the access tokens") }
                    notifier.notify("READY=1")
                }
                return
            }
            _ = inbox.post { loop in
                if serve { notifier.notify("STOPPING=1") }
                loop.handle(.stopRequested(reason: "signal \(String(cString: strsignal(number)))"))
            }
        }
        // Ready only once the signals are ours: a SIGHUP sent the moment readiness is announced (systemd's
        // reload, a test) would otherwise meet the default action and end the process.
        if configuration.serve {
            logger.notice("serving (no MCP on stdio): SIGTERM or SIGINT stops, SIGHUP reloads the certificate and token")
            notifier.notify("READY=1\nSTATUS=serving on \(listeningOn.joined(separator: ", "))")
        }
        loop.run()
        trigger.cancel()
        logger.info("stopped")
        return 0
    }
}
