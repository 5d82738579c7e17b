
/// A message a client sent, decoded and checked. Parsing is liberal in what it accepts (the original addon
/// mixes seconds and milliseconds, sends `error: null` on success) but every shape it cannot use is an error
/// the sender is told about.
package enum InboundMessage: Equatable, Sendable {
    case identify(Identification)
    case heartbeatResponse
    /// A client-initiated heartbeat; answered so clients can measure the round trip.
    case heartbeat(timestamp: JSONValue?)
    case commandResponse(CommandResponse)
    /// An editor's report of how far it is with a command.
    case progress(Progress)
    case shutdownAck
    /// A JSON-RPC message of an MCP host that reaches the gateway through another gateway process
    /// (`{"type":"mcp","message":{…}}`), answered in a session of its own.
    case mcp(JSONValue)
    /// The editors another gateway could resume, sent to processes relaying through it.
    case resumeState(JSONValue)
    /// Something happened in an editor (`EditorEvent.names`), for other clients and the MCP resources.
    case event(name: String, data: JSONValue)
    /// Which editors' events this client wants (`["*"]` for all kinds; empty to stop).
    case subscribe(events: [String])

    package struct Identification: Equatable, Sendable {
        package var clientType: ClientType
        package var clientVersion: String?
        package var godotVersion: String?
        /// The access token, when presented in `identify`; never stored or logged.
        package var token: String?
        /// The `resumeToken` of an earlier connection, to get its client id back; never stored or logged.
        package var resumeToken: String? = nil
        /// Every other field the client sent (project name, capabilities, ...), kept for `list_clients`.
        package var details: [String: JSONValue]
    }

    package struct Progress: Equatable, Sendable {
        package var id: String
        package var progress: Double
        package var total: Double?
        package var message: String?
    }

    package struct CommandResponse: Equatable, Sendable {
        package var id: String
        package var success: Bool
        /// Passed through as the editor wrote it; see `JSONText`.
        package var result: JSONText
        package var error: String?
    }
}

/// Why an inbound message was refused; `description` is sent back to the client.
package struct InboundMessageError: Error, Equatable, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable { case malformedJSON = "malformed_json", invalidMessage = "invalid_message", unknownType = "unknown_type" }
    package var code: Code
    package var description: String
}

extension InboundMessage {
    /// Fields of `identify` that are stored in their own registry fields rather than in `details`.
    private static let identifyCoreFields: Set<String> = ["type", "clientType", "clientVersion", "godotVersion", "token", "resumeToken"]

    /// Deepest nesting of arrays and objects a message the gateway interprets may have; the protocol's
    /// own messages use 4 or 5.
    package static let maximumDepth = 64
    /// Deepest nesting of an editor's answer to a pending command: its result is only checked and passed
    /// on as text, and a scene tree nests two levels per node (UI scenes nest containers deeply).
    package static let maximumAnswerDepth = JSONParser.maximumKeptDepth

    package static func decode(_ text: [UInt8], maximumDepth: Int = maximumDepth) -> Result<InboundMessage, InboundMessageError> {
        // Most messages are editors' answers of one shape: scanned, not parsed (see `scannedAnswer`).
        if let answer = text.withUnsafeBytes({ scannedAnswer($0, maximumDepth: maximumDepth) }) { return .success(.commandResponse(answer)) }
        return decodeFully(text, maximumDepth: maximumDepth)
    }

    /// The full path: every message, every shape; `decode` gives the same result for any input (the
    /// fuzzer checks it).
    package static func decodeFully(_ text: [UInt8], maximumDepth: Int = maximumDepth) -> Result<InboundMessage, InboundMessageError> {
        guard NestingDepth.isWithin(text, limit: maximumDepth) else {
            return .failure(.init(code: .invalidMessage, description: "message nests deeper than \(maximumDepth) levels"))
        }
        let value: JSONValue
        let resultText: JSONText?
        do {
            // A command's result is only checked, not built: it goes on to the host as text.
            (value, resultText) = try JSONParser.parse(text, keepingTextOf: "result")
        } catch {
            return .failure(.init(code: .malformedJSON, description: "message is not valid JSON"))
        }
        guard let object = value.objectValue else {
            return .failure(.init(code: .invalidMessage, description: "message must be a JSON object"))
        }
        return decode(object: object, resultText: resultText)
    }

    /// `resultText` is the text of `result` when the parser kept it (the object holds null there).
    static func decode(object: [String: JSONValue], resultText: JSONText? = nil) -> Result<InboundMessage, InboundMessageError> {
        if let type = object["type"] {
            guard let name = type.stringValue else {
                return .failure(.init(code: .invalidMessage, description: "field 'type' must be a string"))
            }
            return decode(type: name, object: object, resultText: resultText)
        }
        if let command = object["command"] {
            // The original addon acknowledges shutdown as a command-shaped message.
            if command.stringValue == "shutdown_ack" { return .success(.shutdownAck) }
            return .failure(.init(code: .invalidMessage, description: "clients cannot send commands to the gateway"))
        }
        if object["id"] != nil, object["success"] != nil || object["result"] != nil || object["error"] != nil {
            return decodeResponse(object, resultText: resultText)
        }
        return .failure(.init(code: .invalidMessage, description: "message has no 'type' and is not a command response"))
    }

    private static func decode(
        type: String, object: [String: JSONValue], resultText: JSONText?
    ) -> Result<InboundMessage, InboundMessageError> {
        switch type {
        case "identify":
            guard let rawType = object["clientType"]?.stringValue else {
                return .failure(.init(code: .invalidMessage, description: "identify needs a string 'clientType'"))
            }
            guard let clientType = ClientType(rawValue: rawType) else {
                let allowed = ClientType.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(.init(code: .invalidMessage, description: "unknown clientType '\(rawType)' (expected one of: \(allowed))"))
            }
            let details = object.filter { !identifyCoreFields.contains($0.key) }
            return .success(.identify(.init(
                clientType: clientType,
                clientVersion: object["clientVersion"]?.stringValue,
                godotVersion: object["godotVersion"]?.stringValue,
                token: object["token"]?.stringValue,
                resumeToken: object["resumeToken"]?.stringValue,
                details: details)))
        case "heartbeat_response", "pong":
            return .success(.heartbeatResponse)
        case "heartbeat", "ping":
            return .success(.heartbeat(timestamp: object["timestamp"]))
        case "shutdown_ack":
            return .success(.shutdownAck)
        case "response", "command_response":
            return decodeResponse(object, resultText: resultText)
        case "mcp":
            guard let message = object["message"], message.objectValue != nil else {
                return .failure(.init(code: .invalidMessage, description: "mcp needs an object 'message' (a JSON-RPC message)"))
            }
            return .success(.mcp(message))
        case "event":
            guard let name = object["event"]?.stringValue, EditorEvent.names.contains(name) else {
                let names = EditorEvent.names.sorted().joined(separator: ", ")
                return .failure(.init(code: .invalidMessage, description: "event needs 'event', one of: \(names)"))
            }
            let data = object["data"] ?? [:]
            guard data.objectValue != nil, data.jsonText.utf8.count <= EditorEvent.maximumDataBytes else {
                return .failure(.init(code: .invalidMessage, description: "event 'data' must be an object of at most \(EditorEvent.maximumDataBytes) bytes"))
            }
            return .success(.event(name: name, data: data))
        case "subscribe":
            guard case .array(let events)? = object["events"] else {
                return .failure(.init(code: .invalidMessage, description: "subscribe needs an array 'events' (event names, or \"*\")"))
            }
            return .success(.subscribe(events: events.compactMap(\.stringValue).filter {
                $0 == "*" || $0 == "snapshot" || EditorEvent.names.contains($0)
            }))
        case "resume_state":
            return .success(.resumeState(object["editors"] ?? []))
        case "progress":
            guard let id = object["id"]?.stringValue, let progress = object["progress"]?.doubleValue else {
                return .failure(.init(code: .invalidMessage, description: "progress needs a string 'id' and a number 'progress'"))
            }
            return .success(.progress(.init(
                id: id, progress: progress, total: object["total"]?.doubleValue,
                message: object["message"]?.stringValue.map { String($0.prefix(1000)) })))
        default:
            return .failure(.init(code: .unknownType, description: "unknown message type '\(type)'"))
        }
    }

    private static func decodeResponse(
        _ object: [String: JSONValue], resultText: JSONText?
    ) -> Result<InboundMessage, InboundMessageError> {
        guard let id = object["id"]?.stringValue, !id.isEmpty else {
            return .failure(.init(code: .invalidMessage, description: "command response needs a non-empty string 'id'"))
        }
        let errorText: String? = switch object["error"] {
        case nil, .null?: nil
        case .string(let text)?: text
        case let other?: other.jsonText
        }
        // A response without `success` is judged by whether it carries an error.
        let success = object["success"]?.boolValue ?? (errorText == nil)
        return .success(.commandResponse(.init(
            id: id, success: success, result: resultText ?? JSONText(object["result"] ?? .null), error: errorText)))
    }
}
