/// Where a cluster's messages and presence live: NATS subjects for calls and answers, and the keys of a
/// node's presence in the key-value bucket (`node.<node>` for its first part, `node.<node>.<n>` for the
/// others of a large presence). Pure naming and ordering, so it is tested without a NATS server.
package enum ClusterKeys {
    package static let subjectPrefix = "godot-mcp"
    package static let bucket = "godot-mcp-presence"

    /// Where calls for `node`'s editors are sent.
    static func nodeSubject(_ node: String) -> String { "\(subjectPrefix).node.\(node)" }
    /// Where answers to the calls `node` forwarded come back.
    static func answerSubject(_ node: String) -> String { "\(subjectPrefix).answer.\(node)" }
    static func presenceKey(_ node: String, part: Int = 0) -> String { part == 0 ? "node.\(node)" : "node.\(node).\(part)" }

    /// The node whose first presence part `key` is (its deletion means the node left); nil for other keys.
    static func nodeOfFirstPart(_ key: String) -> String? {
        guard key.hasPrefix("node.") else { return nil }
        let node = String(key.dropFirst(5))
        return node.isEmpty || node.contains(".") ? nil : node
    }

    /// Whether `key` is one of `node`'s own presence parts (a node does not read its own presence).
    static func isOwnPresence(_ key: String, node: String) -> Bool {
        let first = presenceKey(node)
        return key == first || key.hasPrefix(first + ".")
    }

    /// One step of replacing a node's presence in the bucket.
    enum Write: Equatable {
        /// Put part `part` of the new presence under `key`.
        case put(key: String, part: Int)
        case delete(key: String)
    }

    /// Replacing a presence of `written` parts with one of `parts` parts: the parts after the first, then
    /// the first, which says how many there are (so a reader never counts a part it has not got), then
    /// deleting the parts the larger presence left behind.
    static func writes(parts: Int, of node: String, replacing written: Int) -> [Write] {
        var steps = (1..<max(1, parts)).map { Write.put(key: presenceKey(node, part: $0), part: $0) }
        if parts > 0 { steps.append(.put(key: presenceKey(node), part: 0)) }
        for stale in stride(from: max(1, parts), to: written, by: 1) { steps.append(.delete(key: presenceKey(node, part: stale))) }
        return steps
    }

    /// The keys a node leaving deletes: every part it wrote (at least the first).
    static func withdrawal(of node: String, written: Int) -> [String] {
        (0..<max(1, written)).map { presenceKey(node, part: $0) }
    }
}
