import Foundation
import Logging
import Synchronization
import Testing
@testable import GatewayCore
@testable import GatewayServer

/// Cluster presence carries a SHA-256 of each resumable editor's token, never the token: another node
/// that is presented the token finds the hash and gives the editor its id back.
@Suite struct ResumeHashTests {
    final class Clock: GatewayClock {
        func monotonicSeconds() -> Double { 1000 }
        func epochMilliseconds() -> Int64 { 1_000_000 }
    }

    static func node(_ name: String) -> GatewayCore {
        let counter = Mutex(0)
        let core = GatewayCore(
            settings: GatewaySettings(), clock: Clock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { counter.withLock { $0 += 1; return "\(name)-\($0)" } }
        // As the service loop joins it (ServiceLoop+Cluster).
        core.joinCluster(ClusterSettings(node: name), hash: { Digest.sha256Hex(Array($0.utf8)) })
        return core
    }

    static func sent(_ core: GatewayCore, to id: String) -> [JSONValue] {
        let handle = core.registry.handle(of: id)
        return core.takeEffects().compactMap { effect in
            guard case .send(let target, let text) = effect, target == handle else { return nil }
            return try? JSONValue.parse(Data(text.utf8))
        }
    }

    @Test func sha256IsTheKnownDigest() {
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func anotherNodeFindsTheHashAndGivesTheIdBack() throws {
        let c = Self.node("c"), b = Self.node("b")
        let editor = c.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3"))?.id ?? ""
        let token = try #require(Self.sent(c, to: editor).first?["resumeToken"]?.stringValue)
        c.receive(editor, text: Array(#"{"type":"identify","clientType":"godot","projectName":"Dungeon","resumable":true}"#.utf8))
        let presence = try #require(c.localPresence().first)
        let published = presence.jsonText
        #expect(!published.contains(token))
        #expect(published.contains(Digest.sha256Hex(Array(token.utf8))))
        b.receivePresence(Array(published.utf8))

        let connection = b.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3"))?.id ?? ""
        _ = b.takeEffects()
        b.receive(connection, text: Array(#"{"type":"identify","clientType":"godot","resumable":true,"resumeToken":"\#(token)"}"#.utf8))
        let handshake = Self.sent(b, to: editor).first { $0["type"] == "handshake" }
        #expect(handshake?["resumed"] == true)
        #expect(b.registry[editor]?.ready == true)
        #expect(b.statistics.clientsResumed == 1)
    }
}
