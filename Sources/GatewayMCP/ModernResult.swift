import GatewayCore

/// Result bodies of the 2026-07-28 era that are more than `resultType` in front of the old ones.
enum ModernResult {
    static let serverInfo: JSONValue = ["name": "godot-mcp-gateway", "version": .string(GatewayVersion.current)]
    static let serverInfoMeta = Array(#""_meta":"#.utf8) + Array(JSONValue.object([ProtocolEra.serverInfoKey: serverInfo]).jsonText.utf8)

    /// What the gateway can do, the same for both eras (`logging` is the deprecated feature, kept: hosts
    /// of either era may ask for log messages).
    static let capabilities: JSONValue = [
        "tools": ["listChanged": true], "logging": [:], "resources": ["subscribe": true, "listChanged": true],
    ]

    /// `server/discover`'s result. It changes only with the gateway's version, so hosts may keep it an hour.
    static let discover: [UInt8] = {
        let result: JSONValue = [
            "resultType": "complete",
            "supportedVersions": .array(ProtocolEra.supportedVersions.map(JSONValue.string)),
            "capabilities": capabilities,
            "instructions": .string(MCPDispatcher.instructions),
            "ttlMs": 3_600_000, "cacheScope": "public",
            "_meta": [ProtocolEra.serverInfoKey: serverInfo],
        ]
        return Array(result.jsonText.utf8)
    }()

    /// A list or read result (a JSON object, without `resultType`) with the cache hints and the server's
    /// identity added. `private`: what a session lists depends on its toolsets and the editors connected.
    static func cacheable(_ body: [UInt8], ttlMs: Int, scope: String) -> [UInt8] {
        guard body.last == UInt8(ascii: "}") else { return body }
        var result = Array(body.dropLast())
        if result.count > 1 { result.append(UInt8(ascii: ",")) }
        result += #""ttlMs":\#(ttlMs),"cacheScope":"\#(scope)","#.utf8
        result += serverInfoMeta
        result.append(UInt8(ascii: "}"))
        return result
    }
}
