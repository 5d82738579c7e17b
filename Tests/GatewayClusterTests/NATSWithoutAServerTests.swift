import Synchronization
import Testing
@testable import GatewayCluster

/// The NATS wrapper's behaviour that needs no server: refused settings say which call failed and why,
/// and a node whose server is not there yet is "down, retrying", not failed.
@Suite(.serialized) struct NATSWithoutAServerTests {
    @Test func anEmptyServerListIsRefusedNamingTheCall() {
        do {
            _ = try NATSConnection(.init(servers: [], name: "test")) { _ in }
            Issue.record("connected to no server")
        } catch {
            #expect(error.operation == "natsOptions_SetServers")
            #expect(error.description.hasPrefix("natsOptions_SetServers failed: "))
            #expect(error.description.lowercased().contains("invalid"))
        }
    }

    @Test func noServerYetIsReportedAsDownWhileItKeepsTrying() throws {
        let events = Mutex<[NATSConnection.Event]>([])
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let connection = try NATSConnection(.init(servers: ["nats://127.0.0.1:1"], name: "test")) { event in
            events.withLock { $0.append(event) }
        }
        defer { connection.close() }
        #expect(!connection.isConnected)
        #expect(!connection.isClosed)
        #expect(connection.maxPayload == 0)
        guard case .disconnected(let reason)? = events.withLock({ $0.first }) else {
            Issue.record("no 'down' event: \(events.withLock { $0 })")
            return
        }
        #expect(reason?.isEmpty == false)
    }
}
