import GatewayCore
import CLWS
import FoundationEssentials
import Glibc

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
        guard let context else { return .failure(.failed(address: "-", reason: "no context")) }
        var bound: [String] = []
        var created: [LWSVhost] = []
        for listener in plan.listeners {
            var vhostInfo = lws_context_creation_info()
            vhostInfo.port = Int32(port)
            vhostInfo.protocols = UnsafePointer(protocols)
            vhostInfo.vhost_name = UnsafePointer(retainedCString("gateway-\(listener.displayAddress)"))
            if let interface = listener.interface { vhostInfo.iface = UnsafePointer(retainedCString(interface)) }
            // Invalid UTF-8 in a text frame closes that connection with 1007 instead of reaching the parser.
            vhostInfo.options |= UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
            if permessageDeflate { vhostInfo.extensions = clws_permessage_deflate_extensions() }
            // lws' default policy re-sorts a per-connection timer into one list on every message received,
            // O(clients) per message; the core's heartbeats already do its job, so lws' are off (all zero).
            vhostInfo.retry_and_idle_policy = UnsafePointer(idlePolicy)
            if plan.disableIPv6 { vhostInfo.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
            if let tls {
                // lws 4.1 enables TLS on a vhost only when the vhost's own options carry this flag too.
                vhostInfo.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
                vhostInfo.ssl_cert_filepath = UnsafePointer(retainedCString(tls.certificatePath))
                vhostInfo.ssl_private_key_filepath = UnsafePointer(retainedCString(tls.privateKeyPath))
                vhostInfo.ssl_options_set = clws_tls12_minimum_options()
                // Only HTTP/1.1 is offered by ALPN: lws' default list starts with h2, which Chromium takes and
                // then gets HTTP/1.1 bytes from the dashboard's handlers (ERR_HTTP2_PROTOCOL_ERROR).
                vhostInfo.alpn = UnsafePointer(retainedCString("http/1.1"))
                if let clientCA = tls.clientCAPath {
                    vhostInfo.ssl_ca_filepath = UnsafePointer(retainedCString(clientCA))
                    vhostInfo.options |= clws_option_require_client_certificate()
                }
            }
            if let vhost = lws_create_vhost(context.pointer, &vhostInfo) {
                created.append(LWSVhost(pointer: vhost))
                bound.append("\(listener.displayAddress):\(port)")
            } else if listener.optional {
                logger.warning("could not listen on \(listener.displayAddress):\(port); continuing without it")
            } else {
                for vhost in created { lws_vhost_destroy(vhost.pointer) }
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
