import GatewayCore
import GatewaySystem
import Dispatch
import Glibc

/// A gateway node's link to its cluster over NATS. Calls for this node's editors arrive on
/// `<prefix>.node.<node>`, answers to the calls it forwarded on `<prefix>.answer.<node>`; each node's
/// presence is in keys of a JetStream key-value bucket whose time to live makes a dead node's entries
/// lapse: `node.<node>` for its first part, `node.<node>.<n>` for the others of a large presence.
/// Everything that arrives is handed to `Callbacks` on libnats' or the link's own thread: the receiver
/// posts it to its service thread.
package final class ClusterLink: @unchecked Sendable {
    package struct Settings: Sendable {
        package var connection: NATSConnection.Options
        package var node: String
        /// How long a presence lives without a refresh; it is refreshed three times within it.
        package var presenceTTL: Double
        package var replicas: Int

        package init(connection: NATSConnection.Options, node: String, presenceTTL: Double, replicas: Int = 1) {
            self.connection = connection
            self.node = node
            self.presenceTTL = presenceTTL
            self.replicas = replicas
        }
    }

    /// The link to the broker: up; down while libnats reconnects (with its last error, when it has one);
    /// closed for good (the server refused this node: it is out of the cluster until restarted).
    package enum LinkState: Sendable { case up, down(reason: String?), closed(reason: String?) }

    package struct Callbacks: Sendable {
        package var call: @Sendable (_ bytes: [UInt8], _ reply: String) -> Void
        package var answer: @Sendable ([UInt8]) -> Void
        package var presence: @Sendable ([UInt8]) -> Void
        package var nodeLeft: @Sendable (String) -> Void
        package var linkChanged: @Sendable (LinkState) -> Void
        package var problem: @Sendable (String) -> Void

        package init(
            call: @escaping @Sendable ([UInt8], String) -> Void, answer: @escaping @Sendable ([UInt8]) -> Void,
            presence: @escaping @Sendable ([UInt8]) -> Void, nodeLeft: @escaping @Sendable (String) -> Void,
            linkChanged: @escaping @Sendable (LinkState) -> Void, problem: @escaping @Sendable (String) -> Void
        ) {
            self.call = call
            self.answer = answer
            self.presence = presence
            self.nodeLeft = nodeLeft
            self.linkChanged = linkChanged
            self.problem = problem
        }
    }

    private struct Shared {
        var presence: [[UInt8]]?
        var presenceDue = false
        var running = true
    }

    private let settings: Settings
    private let callbacks: Callbacks
    private let connection: NATSConnection
    private let shared = LockedState(Shared())
    private let stopped = DispatchSemaphore(value: 0)

    package init(_ settings: Settings, callbacks: Callbacks) throws(NATSError) {
        self.settings = settings
        self.callbacks = callbacks
        // Closed is said once, whether libnats or the failed subscription here notices first.
        let closedReported = LockedState(false)
        let reportClosed: @Sendable (String?) -> Void = { reason in
            let already = closedReported.withLock { reported in
                defer { reported = true }
                return reported
            }
            if !already { callbacks.linkChanged(.closed(reason: reason)) }
        }
        connection = try NATSConnection(settings.connection) { event in
            switch event {
            case .connected: callbacks.linkChanged(.up)
            case .disconnected(let reason): callbacks.linkChanged(.down(reason: reason))
            case .closed(let reason): reportClosed(reason)
            }
        }
        do throws(NATSError) {
            try connection.subscribe(ClusterKeys.nodeSubject(settings.node)) { message in
                guard let reply = message.reply else { return }
                callbacks.call(message.data, reply)
            }
            try connection.subscribe(ClusterKeys.answerSubject(settings.node)) { message in callbacks.answer(message.data) }
        } catch {
            // libnats closes a connection the server refused (a wrong token): the node still serves its
            // own editors and host, and says it is not in the cluster.
            reportClosed(connection.lastError ?? "\(error)")
        }
        let worker = DispatchQueue(label: "godot-mcp-cluster-presence")
        worker.async { [self] in presenceLoop() }
    }

    /// Sends a call to the node its editor is on; the answer comes back through `Callbacks.answer`.
    @discardableResult
    package func forward(to node: String, call: String) -> Bool {
        connection.publish(ClusterKeys.nodeSubject(node), reply: ClusterKeys.answerSubject(settings.node), bytes: Array(call.utf8))
    }

    /// Answers a call another node forwarded here.
    package func respond(to reply: String, text: String) {
        if !connection.publish(reply, bytes: Array(text.utf8)) { callbacks.problem("could not send an answer to \(reply)") }
    }

    /// The largest message the NATS server takes (0 while not connected): a presence is written in parts
    /// well under it.
    package var maxMessageSize: Int { connection.maxPayload }

    /// This node's presence changed: the link's thread publishes its parts (and keeps refreshing them).
    package func publishPresence(_ parts: [[UInt8]]) {
        shared.withLock {
            $0.presence = parts
            $0.presenceDue = true
        }
    }

    /// Leaves the cluster: this node's presence is deleted (other nodes drop its editors at once rather
    /// than after the time to live) and the connection is closed. Waits at most two seconds.
    package func leave() {
        shared.withLock { $0.running = false }
        _ = stopped.wait(timeout: .now() + 2)
        connection.close()
        NATSConnection.releaseLibrary()
    }

    // MARK: The link's own thread

    private func presenceLoop() {
        var store: NATSKeyValue?
        var watcher: NATSWatcher?
        var lastPut = -Double.infinity
        var retryAt = -Double.infinity
        var partsWritten = 0
        let refresh = settings.presenceTTL / 3
        let node = settings.node
        // A problem that persists (no JetStream on the server, say) is said once, not on every retry.
        var lastProblem: String?
        func tell(_ problem: String) {
            guard problem != lastProblem else { return }
            lastProblem = problem
            callbacks.problem(problem)
        }
        while shared.withLock({ $0.running }), !connection.isClosed {
            guard let kv = store, let changes = watcher else {
                if connection.isConnected {
                    do throws(NATSError) {
                        let opened = try NATSKeyValue(on: connection, bucket: ClusterKeys.bucket, ttlSeconds: settings.presenceTTL, replicas: settings.replicas)
                        watcher = try opened.watchAll()
                        store = opened
                        lastPut = -Double.infinity
                        lastProblem = nil
                        continue
                    } catch {
                        let hint = "\(error)".contains("No responders") ? " (is JetStream on? nats-server -js)" : ""
                        tell("cluster presence unavailable: \(error)\(hint); retrying")
                    }
                }
                usleep(200_000)
                continue
            }
            let now = Self.monotonicSeconds()
            let (parts, due) = shared.withLock { state in
                defer { state.presenceDue = false }
                return (state.presence, state.presenceDue)
            }
            if let parts, now >= retryAt, due || now - lastPut >= refresh {
                do throws(NATSError) {
                    try Self.write(parts, of: node, to: kv, replacing: partsWritten)
                    partsWritten = parts.count
                    lastPut = now
                    lastProblem = nil
                } catch {
                    tell("could not publish this node's presence: \(error); trying again every second")
                    retryAt = now + 1
                    shared.withLock { $0.presenceDue = true }
                }
            }
            do throws(NATSError) {
                switch try changes.next(timeoutMs: 50) {
                case .put(let changedKey, let value)?:
                    if !ClusterKeys.isOwnPresence(changedKey, node: node) { callbacks.presence(value) }
                case .deleted(let changedKey)?:
                    if let gone = ClusterKeys.nodeOfFirstPart(changedKey), gone != node { callbacks.nodeLeft(gone) }
                case nil:
                    break
                }
            } catch {
                tell("cluster presence watch ended: \(error); watching again")
                changes.stop()
                watcher = nil
                store = nil
                usleep(200_000)
            }
        }
        if let store {
            do throws(NATSError) {
                for key in ClusterKeys.withdrawal(of: node, written: partsWritten) { try store.delete(key) }
            } catch {
                callbacks.problem("could not withdraw this node's presence: \(error)")
            }
        }
        watcher?.stop()
        stopped.signal()
    }

    /// Replaces this node's presence in the bucket in the order `ClusterKeys.writes` gives.
    private static func write(_ parts: [[UInt8]], of node: String, to kv: NATSKeyValue, replacing written: Int) throws(NATSError) {
        for step in ClusterKeys.writes(parts: parts.count, of: node, replacing: written) {
            switch step {
            case .put(let key, let part): try kv.put(key, parts[part])
            case .delete(let key): try kv.delete(key)
            }
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
