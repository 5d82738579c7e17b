import GatewayCore
import FoundationEssentials
import Glibc

/// lws reports a failed bind only in its log; this re-tries the bind to name the reason for the user.
enum PortProbe {
    /// Whether binding 127.0.0.1:`port` fails because something holds the port.
    static func isInUse(port: Int) -> Bool {
        bindError(port: port) == EADDRINUSE
    }

    private static func bindError(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? nil : errno
    }

    static func reason(port: Int) -> String {
        switch bindError(port: port) {
        case EADDRINUSE?:
            "port \(port) is already in use (another gateway or the original Node.js server?); stop it or pass --port"
        case let error?:
            String(cString: strerror(error))
        case nil:
            "the address is not available on this machine"
        }
    }
}
