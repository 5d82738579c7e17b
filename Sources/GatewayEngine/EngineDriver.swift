import GatewayCore
import GatewayMCP
import Logging
import Synchronization

/// A clock a test moves by hand.
package final class ManualClock: GatewayClock {
    private let seconds: Mutex<Double>

    package init(startingAt start: Double = 1000) {
        seconds = Mutex(start)
    }

    package func monotonicSeconds() -> Double { seconds.withLock { $0 } }
    package func epochMilliseconds() -> Int64 { Int64(seconds.withLock { $0 } * 1000) }
    package func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}

/// The gateway in a test, with no socket, process or thread: what `EmbeddedChannel` is to swift-nio.
/// It feeds events to a `GatewayEngine`, plays the socket layer's part (answers admissions, keeps each
/// connection's messages, fires the timer when the manual clock passes the engine's wake-up time), and
/// lets the test read what the host and each client were sent. Ids are predictable (`c1`, `c2`, …).
package final class EngineDriver {
    package let clock: ManualClock
    package let engine: GatewayEngine
    package var core: GatewayCore { engine.core }
    /// What the host read on stdout, one JSON value per line, oldest first.
    package private(set) var hostOutput: [JSONValue] = []
    /// Messages sent to each client, not yet taken by `messages(to:)`.
    private var inboxes: [String: [JSONValue]] = [:]
    /// How each closed connection was closed, by the id it was opened with (a resumed connection's too).
    package private(set) var closes: [String: (code: UInt16, reason: String)] = [:]
    package private(set) var auditRecords: [[String: JSONValue]] = []
    package private(set) var clusterForwards: [(node: String, call: String)] = []
    package private(set) var clusterReplies: [(to: String, text: String)] = []
    /// The last handshake each client id was sent (a resumed connection's comes under the id it took back).
    package private(set) var handshakes: [String: JSONValue] = [:]
    /// Each connection by handle: the id it was opened with and the one it answers to now (a resume
    /// renames it). Tests name clients by id; the driver speaks to the engine by handle, as sockets do.
    private var connections: [ClientHandle: (openedAs: String, current: String)] = [:]
    /// The connection each current id names.
    private var handles: [String: ClientHandle] = [:]
    /// When the engine asked to be woken.
    package private(set) var wakeAt = Double.infinity
    package private(set) var closing = false
    /// Whether the engine last asked for stdin to be read (false: it holds the host's requests back).
    package private(set) var hostReading = true
    /// While false the host reads nothing of what it is sent: answers pile up as in a full pipe.
    package var hostReadsAnswers = true {
        didSet { if hostReadsAnswers, unreadAnswerBytes > 0 { hostTakesAnswers() } }
    }
    private var unreadAnswerBytes = 0
    private var nextRequestId = 1

    package init(
        settings: GatewaySettings = GatewaySettings(), security: SecuritySettings = SecuritySettings(), servesHostOnStdio: Bool = true,
        toolsets: Set<String> = Toolsets.defaultSelection, hostBacklogLimit: Int = 16 << 20, hostLineLimit: Int = 16 << 20,
        auditing: Bool = true
    ) {
        let clock = ManualClock()
        let counter = Mutex(0)
        let logger = Logger(label: "engine-driver", factory: { _ in SwiftLogNoOpLogHandler() })
        let core = GatewayCore(settings: settings, security: security, clock: clock, logger: logger, auditing: auditing) {
            counter.withLock { $0 += 1; return "c\($0)" }
        }
        self.clock = clock
        engine = GatewayEngine(
            core: core, servesHostOnStdio: servesHostOnStdio, hostLineLimit: hostLineLimit, hostBacklogLimit: hostBacklogLimit,
            toolsets: toolsets, logger: logger, auditing: auditing,
            hash: { bytes in String(bytes.reduce(into: UInt64(1469598103934665603)) { $0 = ($0 ^ UInt64($1)) &* 1099511628211 }, radix: 16) })
    }

    /// Feeds one event and plays out what comes back; returns the actions for a test that wants them.
    @discardableResult
    package func feed(_ event: EngineEvent) -> [EngineAction] {
        let actions = engine.handle(event)
        for action in actions { record(action) }
        // As stdout would: what the host reads leaves the pipe, and the engine hears how much is left.
        if hostReadsAnswers, unreadAnswerBytes > 0 { hostTakesAnswers() }
        return actions
    }

    private func hostTakesAnswers() {
        unreadAnswerBytes = 0
        feed(.hostOutputFlushed(pending: 0))
    }

    private func record(_ action: EngineAction) {
        switch action {
        case .writeHost(let line):
            hostOutput.append((try? JSONValue.parse(line)) ?? .string(String(decoding: line, as: UTF8.self)))
            unreadAnswerBytes += line.count + 1
        case .setHostReading(let reading): hostReading = reading
        case .send(let client, let text):
            guard let clientId = connections[client]?.current else { return }
            let message = (try? JSONValue.parse(Array(text.utf8))) ?? .string(text)
            if message["type"] == "handshake" { handshakes[clientId] = message }
            inboxes[clientId, default: []].append(message)
        case .close(let client, let code, let reason):
            guard let openedAs = connections[client]?.openedAs else { return }
            closes[openedAs] = (code, reason)
            // As the socket layer would once the close handshake ends.
            feed(.connectionClosed(client: client))
        case .rename(let client, let id):
            guard let previous = connections[client]?.current else { return }
            // A connection still closing under that id (replaced, or dropped for silence) gives it up.
            for (other, names) in connections where other != client && names.current == id {
                connections[other]?.current = "closing-" + names.openedAs
            }
            connections[client]?.current = id
            if handles[previous] == client { handles[previous] = nil }
            handles[id] = client
            inboxes[id] = inboxes.removeValue(forKey: previous)
        case .audit(let record): auditRecords.append(record)
        case .clusterForward(let node, let call): clusterForwards.append((node, call))
        case .clusterReply(let to, let text): clusterReplies.append((to, text))
        case .wakeAt(let time): wakeAt = time
        case .closing: closing = true
        case .accepted(let client?):
            // Before the handshake that follows it in the same actions.
            connections[client.handle] = (client.id, client.id)
            handles[client.id] = client.handle
        case .ping, .admitted, .accepted, .httpResponse, .presenceMayHaveChanged, .allowLargeMessages: break
        }
    }

    // MARK: The host

    /// The host writes a line.
    package func hostSends(_ message: JSONValue) {
        feed(.hostBytes(Array(message.jsonText.utf8) + [0x0A]))
    }

    /// The host sends a request; returns its id.
    @discardableResult
    package func hostRequest(_ method: String, _ params: JSONValue = [:]) -> Int {
        let id = nextRequestId
        nextRequestId += 1
        hostSends(["jsonrpc": "2.0", "id": .int(Int64(id)), "method": .string(method), "params": params])
        return id
    }

    /// The handshake-era `initialize` and `notifications/initialized`.
    package func initializeHost(version: String = "2025-06-18") {
        hostRequest("initialize", ["protocolVersion": .string(version), "capabilities": [:], "clientInfo": ["name": "driver", "version": "1"]])
        hostSends(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    /// The host's answer to request `id`, once written.
    package func hostResponse(_ id: Int) -> JSONValue? {
        hostOutput.last { $0["id"] == .int(Int64(id)) && $0["method"] == nil }
    }

    /// Notifications the host was sent with this method.
    package func hostNotifications(_ method: String) -> [JSONValue] {
        hostOutput.filter { $0["method"]?.stringValue == method && $0["id"] == nil }
    }

    /// A `tools/call`'s text and whether it was an error, once answered.
    package func toolResult(_ id: Int) -> (text: String, isError: Bool)? {
        guard let result = hostResponse(id)?["result"], case .array(let content)? = result["content"],
              let text = content.first?["text"]?.stringValue else { return nil }
        return (text, result["isError"]?.boolValue ?? false)
    }

    /// A `tools/call` from the host; returns its id.
    @discardableResult
    package func callTool(_ name: String, _ arguments: JSONValue = [:]) -> Int {
        hostRequest("tools/call", ["name": .string(name), "arguments": arguments])
    }

    /// The JSON a tool result's text holds, once answered.
    package func toolJSON(_ id: Int) -> JSONValue? {
        toolResult(id).flatMap { try? JSONValue.parse(Array($0.text.utf8)) }
    }

    /// A gateway tool that answers at once (`list_clients`, `get_connection_stats`): its JSON.
    package func gatewayTool(_ name: String, _ arguments: JSONValue = [:]) -> JSONValue? {
        toolJSON(callTool(name, arguments))
    }

    /// `get_connection_stats`, as the host reads it.
    package var connectionStats: JSONValue { gatewayTool("get_connection_stats") ?? .null }

    /// `list_clients`'s records, as the host reads them.
    package var listedClients: [JSONValue] {
        guard case .array(let clients)? = gatewayTool("list_clients")?["clients"] else { return [] }
        return clients
    }

    // MARK: HTTP

    /// A plain HTTP request as the socket layer hands it on (admission included): the answer.
    package func http(_ path: String, post: Bool = false, _ request: ConnectionRequest, overTLS: Bool = false) -> HTTPAnswer? {
        for case .httpResponse(let answer) in feed(.httpRequest(request, path: path, isPost: post, overTLS: overTLS)) { return answer }
        return nil
    }

    // MARK: Clients

    /// A client connects (admission, then the upgrade); returns its id, or nil when refused.
    package func connect(_ request: ConnectionRequest) -> String? {
        guard feed(.requestArrived(request, upgrade: true)).contains(.admitted(.allow)) else { return nil }
        for case .accepted(let client?) in feed(.connectionOpened(request)) { return client.id }
        return nil
    }

    /// The handle of the connection that answers to `clientId` now (`detached`, which the engine ignores,
    /// when none does: a client that resumed on another connection, or never connected).
    package func handle(of clientId: String) -> ClientHandle {
        handles[clientId] ?? .detached
    }

    /// The id the connection opened as `openedAs` answers to now (another after a resume or a replacement).
    package func currentId(ofConnection openedAs: String) -> String {
        connections.values.first { $0.openedAs == openedAs }?.current ?? openedAs
    }

    /// How the connection opened as `openedAs` was closed, whatever id it had by then.
    package func closeOf(connection openedAs: String) -> (code: UInt16, reason: String)? {
        closes[openedAs]
    }

    /// An editor connects and identifies, declaring `commands` (nil: the original protocol's set).
    package func connectEditor(
        token: String? = nil, identity: [String: JSONValue] = [:], commands: [String]? = ["get_scene_tree", "create_node"],
        readOnly: Set<String> = ["get_scene_tree"]
    ) -> String {
        let id = connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3", bearerToken: token)) ?? "refused"
        var identify: [String: JSONValue] = ["type": "identify", "clientType": "godot", "clientVersion": "1.0", "godotVersion": "4.3.stable"]
        if let commands {
            identify["capabilities"] = ["commands": .array(commands.map {
                ["name": .string($0), "inputSchema": ["type": "object"], "readOnly": .bool(readOnly.contains($0))]
            })]
        }
        for (key, value) in identity { identify[key] = value }
        _ = messages(to: id)  // the handshake
        clientSends(id, .object(identify))
        return id
    }

    /// An editor that declares what the addon declares (every command of the generated catalog, with its
    /// schema and read-only flag), as the integration tests' fake editor does by default.
    package func connectAddonEditor(token: String? = nil, identity: [String: JSONValue] = [:]) -> String {
        connectEditor(token: token, identity: identity.merging(["capabilities": Self.addonCapabilities]) { mine, _ in mine }, commands: nil)
    }

    /// The `capabilities` the addon sends in `identify`.
    package static var addonCapabilities: JSONValue {
        ["commands": .array(ToolCatalog.editorTools.map {
            ["name": .string($0.name), "description": .string($0.description), "inputSchema": $0.inputSchema, "readOnly": .bool($0.readOnly)]
        })]
    }

    package func clientSends(_ clientId: String, _ message: JSONValue) {
        feed(.textMessage(client: handle(of: clientId), bytes: Array(message.jsonText.utf8)))
    }

    /// A client sends text as it is (for input that is not well-formed JSON).
    package func clientSendsText(_ clientId: String, _ text: String) {
        feed(.textMessage(client: handle(of: clientId), bytes: Array(text.utf8)))
    }

    /// Messages sent to a client since the last call.
    package func messages(to clientId: String) -> [JSONValue] {
        defer { inboxes[clientId] = [] }
        return inboxes[clientId] ?? []
    }

    /// The commands a client was sent since the last call (taking its other messages too).
    package func commands(to clientId: String) -> [JSONValue] {
        messages(to: clientId).filter { $0["command"] != nil }
    }

    /// The editor answers command `commandId`.
    package func editorAnswers(_ clientId: String, _ commandId: String, result: JSONValue = ["ok": true], error: String? = nil) {
        clientSends(clientId, [
            "id": .string(commandId), "success": .bool(error == nil), "result": error == nil ? result : .null,
            "error": error.map(JSONValue.string) ?? .null,
        ])
    }

    /// Answers every command sent to the client since the last look as the integration tests' fake
    /// editor does (`{"command": name, "params": params}`, or what `answer` makes of the command);
    /// returns the commands. Its other messages are taken too.
    @discardableResult
    package func echoCommands(_ clientId: String, answer: (JSONValue) -> JSONValue? = EngineDriver.echo) -> [JSONValue] {
        let commands = commands(to: clientId)
        for command in commands {
            guard let id = command["id"]?.stringValue, let result = answer(command) else { continue }
            editorAnswers(clientId, id, result: result)
        }
        return commands
    }

    package static func echo(_ command: JSONValue) -> JSONValue? {
        ["command": command["command"] ?? .null, "params": command["params"] ?? [:]]
    }

    /// The connection drops (no close handshake).
    package func drop(_ clientId: String) {
        feed(.connectionClosed(client: handle(of: clientId)))
    }

    /// The client closes the connection with `code` in its close frame.
    package func clientCloses(_ clientId: String, code: UInt16) {
        feed(.connectionClosed(client: handle(of: clientId), closeCode: code))
    }

    // MARK: Time

    /// Moves the clock; fires the engine's timer each time it passes the wake-up time it asked for.
    package func advance(by seconds: Double) {
        let end = clock.monotonicSeconds() + seconds
        while wakeAt <= end {
            clock.advance(by: max(0, wakeAt - clock.monotonicSeconds()))
            feed(.timerDue)
        }
        clock.advance(by: max(0, end - clock.monotonicSeconds()))
    }
}
