/// The messages the gateway sends to clients, built exactly as the original server built them
/// (extra fields are additions the original addon ignores).
package enum OutboundMessage {
    package static let serverVersion = "1.0.0"

    /// Sent on connect, and again with `resumed: true` and the old `clientId` when a client resumed.
    /// `resumeToken` is single-use: present it in `identify` after a reconnect to get this id back.
    package static func handshake(
        clientId: String, heartbeatIntervalMs: Int64, gatewayVersion: String, resumeToken: String, resumed: Bool = false,
        features: [String] = []
    ) -> JSONValue {
        var message: [String: JSONValue] = [
            "type": "handshake",
            "clientId": .string(clientId),
            "serverVersion": .string(serverVersion),
            "gatewayVersion": .string(gatewayVersion),
            "heartbeatInterval": .int(heartbeatIntervalMs),
            "resumeToken": .string(resumeToken),
            "features": .array(features.map(JSONValue.string)),
        ]
        if resumed { message["resumed"] = true }
        return .object(message)
    }

    /// The resume token presented in `identify` was unknown or expired: the client goes on under the
    /// id of its handshake.
    package static func resumeRejected(clientId: String) -> JSONValue {
        [
            "type": "resume_rejected", "clientId": .string(clientId),
            "message": "unknown or expired resume token; continuing as a new client",
        ]
    }

    package static func heartbeat(timestampMs: Int64) -> JSONValue {
        ["type": "heartbeat", "timestamp": .int(timestampMs)]
    }

    package static func heartbeatResponse(echo: JSONValue?, timestampMs: Int64) -> JSONValue {
        ["type": "heartbeat_response", "timestamp": echo ?? .int(timestampMs)]
    }

    package static func command(id: String, name: String, params: JSONValue, timestampMs: Int64) -> JSONValue {
        ["id": .string(id), "command": .string(name), "params": params, "timestamp": .int(timestampMs)]
    }

    /// `command(...).jsonText` written straight out (members in the same sorted order), with the
    /// parameters' text when they have one, never parsed: sending a command builds no dictionary.
    package static func commandText(id: String, name: String, parameters: CommandParameters, timestampMs: Int64) -> String {
        var text = Array(#"{"command":"#.utf8)
        text.reserveCapacity(64 + name.utf8.count + id.utf8.count + (parameters.text?.text.utf8.count ?? 32))
        JSONWriter.appendString(name, to: &text)
        text += #","id":"#.utf8
        JSONWriter.appendString(id, to: &text)
        text += #","params":"#.utf8
        text += parameters.jsonText.utf8
        text += #","timestamp":"#.utf8
        text += String(timestampMs).utf8
        text.append(UInt8(ascii: "}"))
        return String(decoding: text, as: UTF8.self)
    }

    package static func shutdown(id: String, timestampMs: Int64) -> JSONValue {
        command(
            id: id, name: "shutdown",
            params: ["reason": "mcp_server_terminating", "timestamp": .int(timestampMs)],
            timestampMs: timestampMs)
    }

    /// The host cancelled the command: an editor that has not started it drops it.
    package static func cancel(id: String, timestampMs: Int64) -> JSONValue {
        ["type": "cancel", "id": .string(id), "timestamp": .int(timestampMs)]
    }

    package static func error(code: String, message: String) -> JSONValue {
        ["type": "error", "code": .string(code), "error": .string(message)]
    }
}
