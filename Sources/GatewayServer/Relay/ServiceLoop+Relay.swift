import GatewayCore
import GatewayEngine
import GatewayMCP
import Glibc

/// What a relaying process needs to take the port over.
struct ListenSettings {
    let plan: ListenPlan
    let port: Int
    let tls: TLSConfiguration?
    let permessageDeflate: Bool
    let token: String?
}

extension ServiceLoop {
    /// Starts relaying this process's host through the gateway that owns `settings.port`.
    func startRelaying(_ settings: ListenSettings) {
        listenSettings = settings
        role = .changingOver
        connectToOwner()
    }

    private func connectToOwner() {
        guard let runtime, let settings = listenSettings else { return }
        let link = OwnerLink(port: settings.port, token: settings.token, logger: logger)
        link.onMCPMessage = { [unowned self] message in handle(.fromOwnerGateway(message)) }
        link.onOpen = { [unowned self, unowned link] in
            role = .relaying
            failedAttachments = 0
            for message in dispatcher?.relaySetupMessages ?? [] { link.relay(message) }
        }
        link.onClosed = { [unowned self, unowned link] in
            ownerLink = nil
            // At exit the link closes with everything else: nothing to take over.
            guard core.phase == .running else {
                handle(.ownerGatewayLost)
                return
            }
            if role == .relaying {
                logger.warning("the gateway that owned the port is gone; taking over", metadata: ["port": "\(settings.port)"])
                lastResumeState = link.resumeState
            } else {
                failedAttachments += 1
                if failedAttachments % 20 == 0 {
                    logger.warning("cannot attach to the gateway that holds the port (does it use another access token?)", metadata: [
                        "port": "\(settings.port)", "attempts": "\(failedAttachments)",
                    ])
                }
            }
            // Calls sent through the link and not answered end now, clearly; new ones wait for the change-over.
            handle(.ownerGatewayLost)
            dispatcher?.relay = { _ in false }
            role = .changingOver
            scheduleRelayAttempt(after: Double.random(in: 0.05...0.2))
        }
        ownerLink = link
        // Calls made while the link opens wait in it.
        dispatcher?.relay = { [unowned link] message in link.relay(message) }
        if !link.connect(runtime: runtime, protocolName: Self.protocolName) {
            logger.warning("libwebsockets could not start a connection to the owning gateway")
            link.closed()
        }
    }

    func scheduleRelayAttempt(after seconds: Double) {
        relayTimer?.arm(after: seconds)
    }

    /// The owner is gone: take the port if it is free, else attach to whoever took it.
    func relayTimerFired() {
        if upstreamSettings != nil { return connectUpstream() }
        guard role == .changingOver, let settings = listenSettings, core.phase == .running else { return }
        switch listen(plan: settings.plan, port: settings.port, tls: settings.tls, permessageDeflate: settings.permessageDeflate) {
        case .success(let bound):
            role = .owner
            core.takeovers += 1
            dispatcher?.relay = nil
            let adopted = core.adoptResumeState(lastResumeState)
            logger.notice("took over the port from the gateway that exited", metadata: [
                "on": "\(bound.joined(separator: ", "))", "editorsThatMayResume": "\(adopted)",
            ])
            handle(.timerDue)  // the adopted editors' resume windows: a new deadline
        case .failure(.portInUse):
            connectToOwner()
        case .failure(let failure):
            logger.error("cannot take the port over", metadata: ["reason": "\(failure.startError)"])
            scheduleRelayAttempt(after: 1)
        }
    }
}
