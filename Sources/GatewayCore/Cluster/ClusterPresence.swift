/// A node's presence: its ready editors with what `list_clients`, targeting and the tool list need.
/// Published by each node to the cluster's key-value bucket under its own key, read by every other node.
enum ClusterPresence {
    /// Editors of one addon declare the same commands (tens of KiB with their schemas): each distinct
    /// set is written once, in `commandSets`, and editors refer to theirs by index.
    static func encode(node: String, editors: [ClientRecord], epochMs: Int64, resumeHash: (ClientRecord) -> String?) -> JSONValue {
        var sets: [JSONValue] = []
        var setIndex: [String: Int] = [:]
        func index(of tools: [OfferedTool]) -> Int {
            let declarations = JSONValue.array(tools.map(\.declaration))
            let key = declarations.jsonText
            if let known = setIndex[key] { return known }
            sets.append(declarations)
            setIndex[key] = sets.count - 1
            return sets.count - 1
        }
        let listed: [JSONValue] = editors.map { editor in
                var fields: [String: JSONValue] = [
                    "clientId": .string(editor.id),
                    "connectedAt": .int(editor.connectedAtMs),
                    "inFlightCommands": .int(Int64(editor.inFlightCommands.count)),
                    "identity": .object(editor.details),
                ]
                fields["clientVersion"] = editor.clientVersion.map(JSONValue.string) ?? .null
                fields["godotVersion"] = editor.godotVersion.map(JSONValue.string) ?? .null
                fields["resume"] = resumeHash(editor).map(JSONValue.string) ?? .null
                fields["caller"] = editor.caller.map(JSONValue.string) ?? .null
                fields["commandSet"] = editor.offeredTools.map { .int(Int64(index(of: $0))) } ?? .null
                return .object(fields)
            }
        return ["node": .string(node), "at": .int(epochMs), "editors": .array(listed), "commandSets": .array(sets)]
    }

    /// Another node's editors as records marked with that node; malformed entries are skipped, since a
    /// presence comes from the network.
    static func decode(_ presence: JSONValue, sequenceBase: UInt64) -> (node: String, editors: [ClientRecord])? {
        guard let node = presence["node"]?.stringValue, ClusterNames.isValid(node), case .array(let entries)? = presence["editors"] else { return nil }
        var commandSets: [[OfferedTool]?] = []
        if case .array(let sets)? = presence["commandSets"] {
            commandSets = sets.prefix(1000).map { OfferedTool.parse(capabilities: ["commands": $0]) }
        }
        var editors: [ClientRecord] = []
        for (index, entry) in entries.prefix(10_000).enumerated() {
            guard let id = entry["clientId"]?.stringValue, !id.isEmpty, id.utf8.count <= 128 else { continue }
            let connectedAt = entry["connectedAt"]?.intValue ?? 0
            let inFlight = Int(clamping: entry["inFlightCommands"]?.intValue ?? 0)
            var record = ClientRecord(
                id: id, type: .godot, remoteAddress: "node \(node)", userAgent: nil, sequence: sequenceBase + UInt64(index),
                connectedAtMs: connectedAt, lastActivityMs: connectedAt, lastActivity: 0, authenticated: true, authDeadline: nil,
                messageBucket: TokenBucket(rate: 1, burst: 1, now: 0), byteBucket: TokenBucket(rate: 1, burst: 1, now: 0))
            record.ready = true
            record.node = node
            record.remoteInFlight = max(0, inFlight)
            record.resumeTokenHash = entry["resume"]?.stringValue.flatMap { $0.utf8.count == 64 ? $0 : nil }
            record.caller = entry["caller"]?.stringValue.map { String($0.prefix(128)) }
            record.clientVersion = entry["clientVersion"]?.stringValue
            record.godotVersion = entry["godotVersion"]?.stringValue
            record.details = entry["identity"]?.objectValue ?? [:]
            if let set = entry["commandSet"]?.intValue, set >= 0, set < Int64(commandSets.count) {
                record.offeredTools = commandSets[Int(set)]
            }
            editors.append(record)
        }
        return (node, editors)
    }
}

/// Node names travel in NATS subjects and key-value keys: letters, digits, '-' and '_' only.
package enum ClusterNames {
    package static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

extension OfferedTool {
    /// As an editor declares it in `identify`, so another node parses it the same way.
    var declaration: JSONValue {
        [
            "name": .string(name), "description": .string(description), "inputSchema": inputSchema,
            "readOnly": .bool(readOnly), "destructive": .bool(destructive), "returnsImage": .bool(returnsImage),
        ]
    }
}
