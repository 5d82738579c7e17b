import Foundation
import Logging
import Synchronization
@testable import GatewayCore

/// A clock the test moves by hand.
final class ManualClock: GatewayClock {
    private let seconds = Mutex(1000.0)
    func monotonicSeconds() -> Double { seconds.withLock { $0 } }
    func epochMilliseconds() -> Int64 { Int64(seconds.withLock { $0 } * 1000) }
    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}

/// Collects what the core replied to callers (`GatewayCore.takeReplies`): outcomes, progress, and the
/// answers to other nodes' forwarded calls, in order.
final class OutcomeRecorder {
    private(set) var all: [CommandOutcome] = []
    private(set) var progress: [CommandProgress] = []
    private(set) var nodeAnswers: [String] = []
    var last: CommandOutcome? { all.last }

    func absorb(_ replies: [(to: ReplyAddress, reply: CommandReply)]) {
        for (_, reply) in replies {
            switch reply {
            case .ended(let outcome): all.append(outcome)
            case .progress(let update): progress.append(update)
            case .forwardedAnswer(let text): nodeAnswers.append(text)
            }
        }
    }
}

/// A core with a manual clock and predictable ids, plus helpers that play the client side.
struct CoreHarness {
    let clock = ManualClock()
    let core: GatewayCore
    private let recorder = OutcomeRecorder()
    /// What the core replied so far (taken from it on each read).
    var outcomes: OutcomeRecorder {
        recorder.absorb(core.takeReplies())
        return recorder
    }

    /// `startupGrace`: 0 unless a test is about waiting for editors, so "no editor" fails at once.
    init(
        settings: GatewaySettings = GatewaySettings(), security: SecuritySettings = SecuritySettings(), idPrefix: String = "id-",
        startupGrace: Double = 0
    ) {
        var settings = settings
        settings.startupGrace = startupGrace
        let counter = Mutex(0)
        core = GatewayCore(
            settings: settings, security: security, clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            counter.withLock { $0 += 1; return idPrefix + "\($0)" }
        }
    }

    /// The handle each connection got, by the id it connected as (a client that left is no longer in the
    /// registry's index, but effects addressed to its connection still name this handle).
    private let connectedHandles = HandleBook()

    @discardableResult
    func connect(userAgent: String? = nil, query: [String: String] = [:]) -> String {
        guard let client = core.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: userAgent, queryParameters: query)) else {
            return "refused"
        }
        connectedHandles.note(client)
        return client.id
    }

    /// Connects with a request of the test's own; returns the id ("refused" when refused).
    func connect(_ request: ConnectionRequest) -> String {
        guard let client = core.connect(request) else { return "refused" }
        connectedHandles.note(client)
        return client.id
    }

    /// The connection a client id names now: the registry's (after a resume, the connection it resumed
    /// on), else the one it connected with.
    func handle(_ id: String) -> ClientHandle {
        core.registry.handle(of: id) ?? connectedHandles[id] ?? .detached
    }

    /// The commands a test editor declares: the original eleven and the short names tests use.
    static let testCommands = OriginalProtocol.defaultCommands.sorted() + ["a", "b", "c", "d", "slow", "next", "first", "second"]

    /// `resumable`: it declares that it resumes, as our addon does (the original addon does not).
    @discardableResult
    func connectEditor(resumable: Bool = true) -> String {
        let id = connect(userAgent: "Godot/4.3")
        let commands = Self.testCommands.map { #"{"name":"\#($0)","inputSchema":{"type":"object"}}"# }.joined(separator: ",")
        let declared = resumable ? #","resumable":true"# : ""
        send(id, #"{"type":"identify","clientType":"godot","clientVersion":"1.0.1","godotVersion":"4.3.stable.official""# + declared + #","capabilities":{"commands":["# + commands + "]}}")
        return id
    }

    func send(_ id: String, _ text: String) {
        core.receive(id, text: Array(text.utf8))
    }

    func submit(_ name: String, params: JSONValue = [:], target: String? = nil) {
        core.submit(CommandRequest(name: name, params: params, target: target))
    }

    /// Messages the core sent to one client since the last call, decoded.
    func sent(to id: String) -> [JSONValue] {
        let handle = handle(id)
        return core.takeEffects().compactMap { effect in
            guard case .send(let target, let text) = effect, target == handle else { return nil }
            return try? JSONValue.parse(Data(text.utf8))
        }
    }

    /// The id of the last command sent to a client.
    func lastCommandId(sentTo id: String) -> String? {
        sent(to: id).last { $0["command"] != nil }?["id"]?.stringValue
    }
}

/// Handles by client id, filled as a harness connects clients.
final class HandleBook {
    private var handles: [String: ClientHandle] = [:]
    func note(_ client: AcceptedClient) { handles[client.id] = client.handle }
    subscript(id: String) -> ClientHandle? { handles[id] }
}
