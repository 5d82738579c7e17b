import GatewayCore

/// What a `subscriptions/listen` stream asked to hear, as far as the gateway honours it (it has no
/// prompts, so `promptsListChanged` is never honoured).
struct ListenFilter: Equatable {
    var toolsListChanged = false
    var resourcesListChanged = false
    var resourceSubscriptions: [String] = []

    init(_ requested: JSONValue?) {
        toolsListChanged = requested?["toolsListChanged"]?.boolValue ?? false
        resourcesListChanged = requested?["resourcesListChanged"]?.boolValue ?? false
        if case .array(let uris)? = requested?["resourceSubscriptions"] {
            resourceSubscriptions = uris.compactMap(\.stringValue)
        }
    }

    /// The filter as the acknowledgment states it: only what is honoured.
    var json: JSONValue {
        var honoured: [String: JSONValue] = [:]
        if toolsListChanged { honoured["toolsListChanged"] = true }
        if resourcesListChanged { honoured["resourcesListChanged"] = true }
        if !resourceSubscriptions.isEmpty { honoured["resourceSubscriptions"] = .array(resourceSubscriptions.map(JSONValue.string)) }
        return .object(honoured)
    }
}

/// The modern era's change notifications: a `subscriptions/listen` request opens a stream that stays
/// open (unanswered) until the host cancels it; every notification on it carries its id.
extension MCPDispatcher {
    func listen(id: JSONValue, params: JSONValue) {
        guard case .object = params["notifications"] else {
            return write(JSONRPCLine.error(
                id: id.jsonText, code: .invalidParams, message: "subscriptions/listen needs params.notifications (an object)."))
        }
        let key = CallKey(idText: id.jsonText)
        guard listens[key] == nil, !inProgress.contains(key) else {
            return write(JSONRPCLine.error(
                id: id.jsonText, code: .invalidRequest,
                message: "Invalid request: a request with id \(id.jsonText.prefix(100)) is already in progress; each request needs its own id."))
        }
        let filter = ListenFilter(params["notifications"])
        listens[key] = (id, filter)
        // The acknowledgment is the first message of the stream.
        write(JSONRPCLine.notification(
            method: "notifications/subscriptions/acknowledged",
            params: ["_meta": [ProtocolEra.subscriptionIdKey: id], "notifications": filter.json]))
    }

    /// Sends a change notification to the handshake-era host (when `legacy`) and on every listen stream
    /// (this process's own, and those it relays) whose filter `wants` it.
    func announce(_ method: String, params: [String: JSONValue] = [:], legacy: Bool, wants: (ListenFilter) -> Bool) {
        if legacy { write(JSONRPCLine.notification(method: method, params: .object(params))) }
        for stream in (Array(listens.values) + Array(relayedListens.values)).sorted(by: { $0.id.jsonText < $1.id.jsonText })
        where wants(stream.filter) {
            var tagged = params
            tagged["_meta"] = [ProtocolEra.subscriptionIdKey: stream.id]
            write(JSONRPCLine.notification(method: method, params: .object(tagged)))
        }
    }

    /// Ends every listen stream gracefully (the gateway is stopping): each gets its result.
    package func closeListens() {
        let streams = listens.values.sorted(by: { $0.id.jsonText < $1.id.jsonText })
        listens.removeAll()
        for stream in streams {
            let body: JSONValue = ["resultType": "complete", "_meta": [ProtocolEra.subscriptionIdKey: stream.id]]
            write(JSONRPCLine.result(id: stream.id.jsonText, resultJSON: Array(body.jsonText.utf8)))
        }
    }
}
