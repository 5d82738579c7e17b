import Testing
@testable import GatewayCluster

/// Where a cluster's calls, answers and presence parts live, and the order a presence is replaced in.
@Suite struct ClusterKeysTests {
    @Test func subjectsAndKeysNameTheNode() {
        #expect(ClusterKeys.nodeSubject("a") == "godot-mcp.node.a")
        #expect(ClusterKeys.answerSubject("a") == "godot-mcp.answer.a")
        #expect(ClusterKeys.presenceKey("a") == "node.a")
        #expect(ClusterKeys.presenceKey("a", part: 3) == "node.a.3")
    }

    /// A deleted first part means the node left; other parts' deletions are housekeeping.
    @Test func onlyAFirstPartsDeletionNamesANodeThatLeft() {
        #expect(ClusterKeys.nodeOfFirstPart("node.a") == "a")
        #expect(ClusterKeys.nodeOfFirstPart("node.a.2") == nil)
        #expect(ClusterKeys.nodeOfFirstPart("node.") == nil)
        #expect(ClusterKeys.nodeOfFirstPart("other.a") == nil)
    }

    @Test func aNodeSkipsItsOwnPartsAndNoOtherNodes() {
        #expect(ClusterKeys.isOwnPresence("node.a", node: "a"))
        #expect(ClusterKeys.isOwnPresence("node.a.1", node: "a"))
        #expect(!ClusterKeys.isOwnPresence("node.ab", node: "a"))
        #expect(!ClusterKeys.isOwnPresence("node.ab.1", node: "a"))
        #expect(!ClusterKeys.isOwnPresence("node.b", node: "a"))
    }

    @Test func theFirstPartIsWrittenLastAndLeftoverPartsAreDeleted() {
        #expect(ClusterKeys.writes(parts: 3, of: "a", replacing: 5) == [
            .put(key: "node.a.1", part: 1), .put(key: "node.a.2", part: 2), .put(key: "node.a", part: 0),
            .delete(key: "node.a.3"), .delete(key: "node.a.4"),
        ])
        #expect(ClusterKeys.writes(parts: 1, of: "a", replacing: 0) == [.put(key: "node.a", part: 0)])
        #expect(ClusterKeys.writes(parts: 2, of: "a", replacing: 2) == [.put(key: "node.a.1", part: 1), .put(key: "node.a", part: 0)])
        #expect(ClusterKeys.withdrawal(of: "a", written: 0) == ["node.a"])
        #expect(ClusterKeys.withdrawal(of: "a", written: 3) == ["node.a", "node.a.1", "node.a.2"])
    }
}
