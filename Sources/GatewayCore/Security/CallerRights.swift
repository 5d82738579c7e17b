/// What a connection may do, decided once from how it authenticated (see `AccessModel`).
package enum CallerRights: Int, Sendable, Comparable, CustomStringConvertible {
    /// The dashboard page's own socket: snapshots and events, nothing else.
    case dashboardView = 0
    /// Only tools that read (the gateway's judgement for built-in tools, the target editor's for declared ones).
    case readOnly = 1
    /// Everything, including acting as an editor or a relay.
    case full = 2

    package static func < (lhs: CallerRights, rhs: CallerRights) -> Bool { lhs.rawValue < rhs.rawValue }

    package var description: String {
        switch self {
        case .dashboardView: "dashboard-view"
        case .readOnly: "read-only"
        case .full: "full"
        }
    }

    /// Whether a connection with these rights may act as an editor (receive commands, publish events)
    /// or relay another host's MCP session: both speak for the project, so only full rights may.
    package var mayActAsEditorOrRelay: Bool { self == .full }
}

/// The secret a connection's rights came from, kept so that a reload can judge it again: a token
/// removed, changed or demoted takes its connections and sign-in sessions with it.
package struct Credential: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// The shared access token (`--token-file`).
        case sharedToken
        /// A person's token (`--tokens`).
        case personToken
        /// No token is required (`--no-auth`).
        case none
    }

    package var kind: Kind
    /// The token itself (empty for `.none`); compared in constant time, never logged.
    package var secret: String
    /// What the token granted when it was presented; a reload that finds it granting something else
    /// applies the change.
    package var grants: CallerRights

    package static let unauthenticatedAccess = Credential(kind: .none, secret: "", grants: .full)
}

/// Who is asking and what they may do: decided in one place, from a token, a certificate or a
/// dashboard session, and carried by every connection.
package struct CallerIdentity: Sendable, Equatable {
    /// `alice`, `shared`, `cert:<cn>`, `dashboard:<name>`; nil with `--no-auth`.
    package var name: String?
    package var rights: CallerRights
    package var credential: Credential
}
