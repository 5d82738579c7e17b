/// Which addresses count as one for the unauthenticated pool's per-address limit: every loopback
/// address is one machine (127.0.0.1, 127.0.0.2 … and ::1 are all the local host, and a local process
/// may bind any of them), so they share one limit; any other address is its own group.
package enum AddressGroup {
    package static let loopback = "loopback"

    package static func of(_ address: String) -> String {
        isLoopback(address) ? loopback : address
    }

    package static func isLoopback(_ address: String) -> Bool {
        let lowered = address.lowercased()
        let bare = lowered.hasPrefix("::ffff:") ? String(lowered.dropFirst(7)) : lowered
        return bare == "::1" || bare == "[::1]" || bare.hasPrefix("127.") || bare == "localhost"
    }
}
