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
    /// Written once into the string's own storage when name and id need no escape (always, for the ids
    /// this gateway makes and the tools editors declare): building an array and decoding it into a String
    /// cost a third of routing a call (callgrind).
    package static func commandText(id: String, name: String, parameters: CommandParameters, timestampMs: Int64) -> String {
        var name = name, id = id, params = parameters.jsonText
        let written: String? = name.withUTF8 { name in
            id.withUTF8 { id in
                params.withUTF8 { params in
                    guard !JSONWriter.needsEscape(name), !JSONWriter.needsEscape(id) else { return nil }
                    return writeCommand(name: name, id: id, params: params, timestampMs: timestampMs)
                }
            }
        }
        return written ?? escapedCommandText(id: id, name: name, paramsText: params, timestampMs: timestampMs)
    }

    private static let commandHead: StaticString = #"{"command":""#
    private static let idHead: StaticString = #"","id":""#
    private static let paramsHead: StaticString = #"","params":"#
    private static let timestampHead: StaticString = #","timestamp":"#

    /// Name, id and params, none needing an escape.
    private static func writeCommand(
        name: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>, params: UnsafeBufferPointer<UInt8>, timestampMs: Int64
    ) -> String {
        let capacity = commandHead.utf8CodeUnitCount + name.count + idHead.utf8CodeUnitCount + id.count + paramsHead.utf8CodeUnitCount
            + params.count + timestampHead.utf8CodeUnitCount + 21
        return String(unsafeUninitializedCapacity: capacity) { output in
            guard let base = output.baseAddress else { return 0 }
            var position = 0
            func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let source = bytes.baseAddress else { return }
                (base + position).update(from: source, count: bytes.count)
                position += bytes.count
            }
            func put(_ literal: StaticString) {
                put(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            }
            put(commandHead)
            put(name)
            put(idHead)
            put(id)
            put(paramsHead)
            put(params)
            put(timestampHead)
            position += JSONWriter.writeDecimal(timestampMs, into: UnsafeMutableBufferPointer(rebasing: output[position...]))
            output[position] = UInt8(ascii: "}")
            return position + 1
        }
    }

    /// The general form, for a name or id that needs escapes.
    private static func escapedCommandText(id: String, name: String, paramsText: String, timestampMs: Int64) -> String {
        var text = Array(#"{"command":"#.utf8)
        text.reserveCapacity(64 + name.utf8.count + id.utf8.count + paramsText.utf8.count)
        JSONWriter.appendString(name, to: &text)
        text += #","id":"#.utf8
        JSONWriter.appendString(id, to: &text)
        text += #","params":"#.utf8
        text += paramsText.utf8
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
