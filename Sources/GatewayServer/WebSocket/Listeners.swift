import GatewayCore
import FoundationEssentials

/// Why the listeners could not be created.
enum ListenFailure: Error {
    /// The port is held by another process (maybe another gateway, which this one can relay through).
    case portInUse(address: String, reason: String)
    case failed(address: String, reason: String)

    var startError: GatewayStartError {
        switch self {
        case .portInUse(let address, let reason), .failed(let address, let reason): .cannotListen(address: address, reason: reason)
        }
    }
}

extension ServiceLoop {
    /// Creates one listening vhost per address of the plan. On failure none is left listening. At start and
    /// when taking the port over from a gateway that exited.
    func listen(plan: ListenPlan, port: Int, tls: TLSConfiguration?, permessageDeflate: Bool) -> Result<[String], ListenFailure> {
        guard let runtime else { return .failure(.failed(address: "-", reason: "no context")) }
        var bound: [String] = []
        var created: [LWSVhost] = []
        for listener in plan.listeners {
            let settings = LWSRuntime.Listener(
                port: port, name: listener.displayAddress, interface: listener.interface, disableIPv6: plan.disableIPv6,
                permessageDeflate: permessageDeflate, tls: tls.map { ($0.certificatePath, $0.privateKeyPath, $0.clientCAPath) })
            if let vhost = runtime.listen(settings) {
                created.append(vhost)
                bound.append("\(listener.displayAddress):\(port)")
            } else if listener.optional {
                logger.warning("could not listen on \(listener.displayAddress):\(port); continuing without it")
            } else {
                for vhost in created { runtime.destroy(vhost) }
                let address = "\(listener.displayAddress):\(port)"
                if tls == nil, PortProbe.isInUse(port: port) {
                    return .failure(.portInUse(address: address, reason: PortProbe.reason(port: port)))
                }
                let reason = tls != nil ? "check the certificate and key files, or " + PortProbe.reason(port: port) : PortProbe.reason(port: port)
                return .failure(.failed(address: address, reason: reason))
            }
        }
        listenerVhosts = created
        return .success(bound)
    }
}
