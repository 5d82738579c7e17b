
/// Where to listen, worked out from `--host`. libwebsockets 4.1 with IPv6 enabled binds an IPv4 literal
/// interface to the IPv6 wildcard (every interface), so loopback is expressed in ways measured to bind
/// only loopback: the interface name `lo` (IPv4-mapped 127.0.0.1) and `::1`, each on its own vhost.
package struct ListenPlan: Equatable {
    package struct Listener: Equatable {
        /// What lws is given as `iface`; nil means every interface.
        package var interface: String?
        /// How the address is shown to people.
        package var displayAddress: String
        /// A listener that may fail without failing start-up (IPv6 loopback on a host without IPv6).
        package var optional: Bool
    }

    package var listeners: [Listener]
    /// Set when the one listener is an IPv4 address: lws must then not open IPv6 sockets at all.
    package var disableIPv6: Bool

    package static func make(host: String) -> ListenPlan {
        switch host.lowercased() {
        case "localhost", "loopback", "":
            return ListenPlan(listeners: [
                Listener(interface: "lo", displayAddress: "127.0.0.1", optional: false),
                Listener(interface: "::1", displayAddress: "[::1]", optional: true),
            ], disableIPv6: false)
        case "::", "[::]", "*":
            return ListenPlan(listeners: [Listener(interface: nil, displayAddress: "[::]", optional: false)], disableIPv6: false)
        case "0.0.0.0":
            return ListenPlan(listeners: [Listener(interface: nil, displayAddress: "0.0.0.0", optional: false)], disableIPv6: true)
        default:
            if host.contains(":") {
                let bare = host.trimmed { $0 == "[" || $0 == "]" }
                return ListenPlan(listeners: [Listener(interface: bare, displayAddress: "[\(bare)]", optional: false)], disableIPv6: false)
            }
            return ListenPlan(listeners: [Listener(interface: host, displayAddress: host, optional: false)], disableIPv6: true)
        }
    }

    /// True when every listener is a loopback address: nothing off this machine can connect.
    package var isLoopbackOnly: Bool {
        listeners.allSatisfy { listener in
            guard let interface = listener.interface else { return false }
            return interface == "lo" || interface == "::1" || interface == "localhost" || interface.hasPrefix("127.")
        }
    }
}
