/// A node's presence: its ready editors with what `list_clients`, targeting and the tool list need.
/// Published by each node to the cluster's key-value bucket under keys of its own (one per part), read by
/// every other node.
package enum ClusterPresence {
    /// The most a presence part should take: half of the NATS server's default message limit (1 MiB),
    /// so a node with thousands of editors writes several keys rather than one the server refuses.
    package static let partBudget = 512 * 1024

    /// A node's presence as one or more parts, each under `budget` bytes of JSON (unless one editor
    /// alone is larger). Editors of one addon declare the same commands (tens of KiB with their schemas):
    /// each distinct set is written once per part, in `commandSets`, and editors refer to it by index.
    /// Every part names the number of parts; part 0 is the one that decides it.
    /// `reconnecting`: editors that dropped and may still resume here, marked so (other nodes hold calls
    /// naming them for this node, and let them resume there).
    static func encode(
        node: String, editors: [ClientRecord], reconnecting: [ClientRecord] = [], epochMs: Int64, budget: Int = partBudget,
        resumeHash: (ClientRecord) -> String?
    ) -> [JSONValue] {
        var parts: [(editors: [JSONValue], sets: [JSONValue])] = []
        var editorsOfPart: [JSONValue] = []
        var setsOfPart: [JSONValue] = []
        var setIndexInPart: [Int: Int] = [:]
        var size = 0
        func closePart() {
            parts.append((editorsOfPart, setsOfPart))
            editorsOfPart = []
            setsOfPart = []
            setIndexInPart = [:]
            size = 0
        }
        var sets = DistinctCommandSets()
        for (editor, away) in editors.lazy.map({ ($0, false) }) + reconnecting.lazy.map({ ($0, true) }) {
            var entry = entryFields(editor, resumeHash: resumeHash)
            if away { entry["reconnecting"] = true }
            let set = editor.offeredTools.map { sets.number(of: $0) }
            let entrySize = JSONValue.object(entry).jsonText.utf8.count + 24
            let setSize = set.map { setIndexInPart[$0] == nil ? sets.size(of: $0) : 0 } ?? 0
            if !editorsOfPart.isEmpty, size + entrySize + setSize > budget || editorsOfPart.count >= maxEditorsPerPart {
                closePart()
            }
            if let set {
                let index: Int
                if let known = setIndexInPart[set] {
                    index = known
                } else {
                    setsOfPart.append(sets.declarations(of: set))
                    index = setsOfPart.count - 1
                    setIndexInPart[set] = index
                    size += sets.size(of: set)
                }
                entry["commandSet"] = .int(Int64(index))
            }
            size += entrySize
            editorsOfPart.append(.object(entry))
        }
        if !editorsOfPart.isEmpty || parts.isEmpty { closePart() }
        return parts.enumerated().map { number, part in
            [
                "node": .string(node), "at": .int(epochMs), "part": .int(Int64(number)), "parts": .int(Int64(parts.count)),
                "editors": .array(part.editors), "commandSets": .array(part.sets),
            ]
        }
    }

    private static func entryFields(_ editor: ClientRecord, resumeHash: (ClientRecord) -> String?) -> [String: JSONValue] {
        [
            "clientId": .string(editor.id),
            "connectedAt": .int(editor.connectedAtMs),
            "inFlightCommands": .int(Int64(editor.inFlightCommands.count)),
            "identity": .object(editor.details),
            "clientVersion": editor.clientVersion.map(JSONValue.string) ?? .null,
            "godotVersion": editor.godotVersion.map(JSONValue.string) ?? .null,
            "resume": resumeHash(editor).map(JSONValue.string) ?? .null,
            "caller": editor.caller.map(JSONValue.string) ?? .null,
            "commandSet": .null,
        ]
    }

    /// One part of another node's presence.
    struct Part {
        let node: String
        let number: Int
        let count: Int
        /// Its editors; those reconnecting there are not `ready`.
        let editors: [ClientRecord]
    }

    /// Bounds on what another node's presence may make this node hold.
    static let maxParts = 256
    static let maxEditorsPerPart = 10_000

    /// One part of another node's presence, its editors as records marked with that node; malformed
    /// entries are skipped, since a presence comes from the network. A presence without part numbers
    /// (from a node before parts) is part 0 of 1.
    static func decode(_ presence: JSONValue, sequenceBase: UInt64) -> Part? {
        guard let node = presence["node"]?.stringValue, ClusterNames.isValid(node), case .array(let entries)? = presence["editors"] else { return nil }
        let number = Int(clamping: presence["part"]?.intValue ?? 0)
        let count = Int(clamping: presence["parts"]?.intValue ?? 1)
        guard number >= 0, count >= 1, count <= maxParts, number < count else { return nil }
        var commandSets: [[OfferedTool]?] = []
        if case .array(let sets)? = presence["commandSets"] {
            commandSets = sets.prefix(1000).map { OfferedTool.parse(capabilities: ["commands": $0]) }
        }
        var editors: [ClientRecord] = []
        for (index, entry) in entries.prefix(maxEditorsPerPart).enumerated() {
            guard let id = entry["clientId"]?.stringValue, !id.isEmpty, id.utf8.count <= 128 else { continue }
            let connectedAt = entry["connectedAt"]?.intValue ?? 0
            let inFlight = Int(clamping: entry["inFlightCommands"]?.intValue ?? 0)
            var record = ClientRecord(
                id: id, type: .godot, remoteAddress: "node \(node)", userAgent: nil,
                sequence: sequenceBase + UInt64(number) * 10_000 + UInt64(index),
                connectedAtMs: connectedAt, lastActivityMs: connectedAt, lastActivity: 0, authenticated: true, authDeadline: nil,
                messageBucket: TokenBucket(rate: 1, burst: 1, now: 0), byteBucket: TokenBucket(rate: 1, burst: 1, now: 0))
            record.ready = entry["reconnecting"]?.boolValue != true
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
        return Part(node: node, number: number, count: count, editors: editors)
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

/// The distinct command sets of a node's editors, each turned into JSON once: editors of one addon
/// declare equal sets, and encoding one (tens of KiB) per editor made a presence of thousands of editors
/// take seconds of the service thread.
private struct DistinctCommandSets {
    private var sets: [(tools: [OfferedTool], declarations: JSONValue, size: Int)] = []
    /// Candidates by the tools' names, so an editor's set is compared in full only with sets of the same names.
    private var byNames: [String: [Int]] = [:]

    mutating func number(of tools: [OfferedTool]) -> Int {
        let names = tools.map(\.name).joined(separator: ",")
        if let found = byNames[names]?.first(where: { sets[$0].tools == tools }) { return found }
        let declarations = JSONValue.array(tools.map(\.declaration))
        sets.append((tools, declarations, declarations.jsonText.utf8.count))
        byNames[names, default: []].append(sets.count - 1)
        return sets.count - 1
    }

    func declarations(of number: Int) -> JSONValue { sets[number].declarations }
    func size(of number: Int) -> Int { sets[number].size }
}
