import GatewayCore

/// The two eras of MCP the gateway speaks on one stdio (or one relayed session). The handshake era
/// (2024-11-05 … 2025-11-25) agrees a version once with `initialize`; the modern era (2026-07-28) has no
/// handshake: every request names its version, the client's capabilities and the log level it wants in
/// its own `_meta`, and is judged by that alone.
package enum ProtocolEra {
    package static let modernVersions = ["2026-07-28"]
    package static let handshakeVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// What `server/discover` and -32022 say the gateway speaks, newest first.
    package static let supportedVersions = modernVersions + handshakeVersions

    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    static let logLevelKey = "io.modelcontextprotocol/logLevel"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
    static let subscriptionIdKey = "io.modelcontextprotocol/subscriptionId"
}

/// What a modern request said about itself in `_meta`.
package struct ModernRequest: Equatable, Sendable {
    package var version: String
    /// The level of `notifications/message` it asked for; nil: it asked for none, so it gets none.
    package var logLevel: HostLogLevel?
    /// `clientInfo` as "name version", for the audit log.
    package var client: String?
}

/// How one request is to be served, judged from its own `params._meta`.
package enum RequestJudgement: Equatable {
    /// No protocol version in `_meta`: the handshake era (after `initialize`, or as its newest version
    /// for a request that skipped it: such a request is served, not refused, as the spec allows).
    case handshake
    case modern(ModernRequest)
    /// Refused before it is looked at: the JSON-RPC error to answer with.
    case refused(code: Int, message: String, data: JSONValue?)

    package static func judge(_ params: JSONValue) -> RequestJudgement {
        guard let meta = params["_meta"] else { return .handshake }
        return judge(RequestMeta(meta))
    }

    /// The same from the members of `_meta` that decide (read from a value, or scanned from the bytes).
    static func judge(_ meta: RequestMeta) -> RequestJudgement {
        guard let named = meta.protocolVersion else { return .handshake }
        guard let version = named.stringValue else {
            return .refused(code: JSONRPCLine.ErrorCode.invalidParams.rawValue,
                            message: "_meta.\(ProtocolEra.protocolVersionKey) must be a string.", data: nil)
        }
        guard ProtocolEra.modernVersions.contains(version) else {
            // A handshake-era version named per request is no version at all: those are agreed by initialize.
            let hint = ProtocolEra.handshakeVersions.contains(version) ? " (\(version) is agreed with initialize, not per request)" : ""
            return .refused(
                code: JSONRPCLine.ErrorCode.unsupportedProtocolVersion.rawValue,
                message: "Unsupported protocol version\(hint)",
                data: ["supported": .array(ProtocolEra.supportedVersions.map(JSONValue.string)), "requested": .string(String(version.prefix(100)))])
        }
        guard meta.clientCapabilitiesIsObject else {
            return .refused(code: JSONRPCLine.ErrorCode.invalidParams.rawValue,
                            message: "A \(version) request carries _meta.\(ProtocolEra.clientCapabilitiesKey) (an object; {} for none).", data: nil)
        }
        var request = ModernRequest(version: version)
        if let level = meta.logLevel {
            guard let name = level.stringValue, let parsed = HostLogLevel(name: name) else {
                let names = HostLogLevel.allCases.map(\.name).joined(separator: ", ")
                return .refused(code: JSONRPCLine.ErrorCode.invalidParams.rawValue,
                                message: "_meta.\(ProtocolEra.logLevelKey) must be one of \(names).", data: nil)
            }
            request.logLevel = parsed
        }
        if let name = meta.clientName {
            request.client = "\(name.prefix(100)) \(meta.clientVersion?.prefix(50) ?? "")"
        }
        return .modern(request)
    }
}

/// What the gateway reads of a request's `params._meta`: the era's members, and the progress token.
struct RequestMeta: Equatable {
    var protocolVersion: JSONValue?
    var clientCapabilitiesIsObject = false
    var logLevel: JSONValue?
    /// `clientInfo.name` and `.version` when they are strings (and clientInfo an object).
    var clientName: String?
    var clientVersion: String?
    /// As sent (any value; `callTool` keeps it only when it is a string or a number).
    var progressToken: JSONValue?

    init() {}

    init(_ meta: JSONValue) {
        protocolVersion = meta[ProtocolEra.protocolVersionKey]
        if case .object? = meta[ProtocolEra.clientCapabilitiesKey] { clientCapabilitiesIsObject = true }
        logLevel = meta[ProtocolEra.logLevelKey]
        if let info = meta[ProtocolEra.clientInfoKey], let name = info["name"]?.stringValue {
            clientName = name
            clientVersion = info["version"]?.stringValue
        }
        progressToken = meta["progressToken"]
    }
}
