/// The rules for where the gateway may listen and with what protection. Whoever can connect can drive
/// an editor that writes files and runs scripts, so leaving loopback needs TLS and a token.
package enum ExposurePolicy {
    package struct Violation: Error, CustomStringConvertible {
        package let description: String
    }

    package static func isLoopbackOnly(host: String) -> Bool {
        ListenPlan.make(host: host).isLoopbackOnly
    }

    /// Throws when the combination is unsafe; returns warnings worth logging when it is allowed.
    package static func check(host: String, tls: Bool, authentication: Bool, insecure: Bool) throws -> [String] {
        let loopback = isLoopbackOnly(host: host)
        var warnings: [String] = []
        if !authentication {
            guard loopback else {
                throw Violation(description: "--no-auth is allowed on loopback only; \(host) is reachable from other machines")
            }
            warnings.append("authentication is off (--no-auth): any local process or user can drive your editors")
        }
        if !loopback && !(tls && authentication) {
            guard insecure else {
                throw Violation(description: "listening on \(host) needs --tls-cert and --tls-key (and a token); "
                    + "pass --insecure to do it anyway, e.g. behind a TLS-terminating reverse proxy")
            }
            warnings.append("listening on \(host) without TLS (--insecure): tokens and commands cross the network in clear text")
        }
        return warnings
    }
}
