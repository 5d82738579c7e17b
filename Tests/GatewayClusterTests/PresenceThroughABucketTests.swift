import Foundation
import Logging
import Synchronization
import Testing
@testable import GatewayCluster
@testable import GatewayCore

/// A node's presence goes through a key-value bucket the way `ClusterLink` writes it (`ClusterKeys`), and
/// another node's core reads every change as the bucket's watch delivers it: at no moment does the reader
/// count a part it has not got, so it never sees half a presence.
@Suite struct PresenceThroughABucketTests {
    final class Clock: GatewayClock {
        func monotonicSeconds() -> Double { 1000 }
        func epochMilliseconds() -> Int64 { 1_000_000 }
    }

    static func node(_ name: String) -> GatewayCore {
        let counter = Mutex(0)
        let core = GatewayCore(
            settings: GatewaySettings(), clock: Clock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { counter.withLock { $0 += 1; return "\(name)-\($0)" } }
        core.joinCluster(ClusterSettings(node: name), hash: { String(repeating: "0", count: 64 - min(64, $0.count)) + $0.suffix(64) })
        return core
    }

    /// Editors identify on `core`, each declaring a command with a long description (so a presence of a
    /// few dozen takes several parts of 4 KiB).
    static func editors(_ count: Int, on core: GatewayCore, from start: Int = 0) -> [String] {
        (start..<start + count).map { index in
            let id = core.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3"))?.id ?? ""
            let command = #"{"name":"build_\#(index % 3)","description":"\#(String(repeating: "d", count: 300))","inputSchema":{"type":"object"}}"#
            core.receive(id, text: Array(#"{"type":"identify","clientType":"godot","projectName":"P\#(index)","capabilities":{"commands":[\#(command)]}}"#.utf8))
            return id
        }
    }

    /// The bucket as the reader's watch sees it: every put delivered, a deleted first part as the node leaving.
    struct Bucket {
        var written = 0

        mutating func publish(_ parts: [JSONValue], of node: String, to reader: GatewayCore, after check: (GatewayCore) -> Void) {
            for step in ClusterKeys.writes(parts: parts.count, of: node, replacing: written) {
                switch step {
                case .put(_, let part): reader.receivePresence(Array(parts[part].jsonText.utf8))
                case .delete(let key): if let gone = ClusterKeys.nodeOfFirstPart(key) { reader.nodeLeft(gone) }
                }
                check(reader)
            }
            written = parts.count
        }
    }

    @Test func aReaderSeesTheWholePresenceOrTheOneBeforeNeverPartOfIt() throws {
        let writer = Self.node("c"), reader = Self.node("a")
        var bucket = Bucket()
        let first = Self.editors(10, on: writer)
        bucket.publish(writer.localPresence(partBudget: 4096), of: "c", to: reader) { _ in }
        #expect(Set(reader.routableEditors.map(\.id)) == Set(first))

        let more = Self.editors(50, on: writer, from: 10)
        let grown = writer.localPresence(partBudget: 4096)
        try #require(grown.count > 3)
        bucket.publish(grown, of: "c", to: reader) { reader in
            #expect([10, 60].contains(reader.routableEditors.count))
        }
        #expect(Set(reader.routableEditors.map(\.id)) == Set(first + more))

        for id in more { writer.disconnected(id) }
        bucket.publish(writer.localPresence(partBudget: 4096), of: "c", to: reader) { reader in
            #expect(reader.routableEditors.count == 10)
        }

        for step in ClusterKeys.withdrawal(of: "c", written: bucket.written) {
            if let gone = ClusterKeys.nodeOfFirstPart(step) { reader.nodeLeft(gone) }
        }
        #expect(reader.routableEditors.isEmpty)
    }
}
