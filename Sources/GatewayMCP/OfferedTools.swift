import GatewayCore

/// A tool a call names: what a call needs of its catalog entry, and its input schema as the validator
/// reads it. Only these, not the entry: copying an entry (name, description, schema value) retained and
/// released each of them several times per call.
struct CalledTool {
    let schema: ArgumentSchema
    let isGatewayTool: Bool
    let isBuiltIn: Bool
    let readOnly: Bool
    let returnsImage: Bool

    init(_ entries: [ToolCatalog.Entry], _ position: Int, schema: ArgumentSchema) {
        self.schema = schema
        isGatewayTool = entries[position].isGatewayTool
        isBuiltIn = entries[position].isBuiltIn
        readOnly = entries[position].readOnly
        returnsImage = entries[position].returnsImage
    }
}

/// The tools a session can call now and its `tools/list` result, kept until either changes, with what
/// each call needs of them: the entry found by name without hashing the name (`ToolNameIndex`) and the
/// entry's schema read once. A String-keyed cache of schemas hashed the tool's name on every call.
struct OfferedTools {
    let entries: [ToolCatalog.Entry]
    let listResult: [UInt8]
    private let index: ToolNameIndex
    /// The entries' schemas as the validator reads them, by position, each read at its tool's first call:
    /// reading them all whenever the list changes would make every session pay for tools it never calls.
    private var schemas: [ArgumentSchema?]
    /// The tool the last call named: a session mostly calls a few tools, and comparing one name costs less
    /// than finding it in the index. Any name equal to it (as Strings) finds the same entry there.
    private var lastCalled: (name: String, tool: CalledTool)?

    init(entries: [ToolCatalog.Entry], listResult: [UInt8]) {
        self.entries = entries
        self.listResult = listResult
        index = ToolNameIndex(entries)
        schemas = Array(repeating: nil, count: entries.count)
    }

    /// The first entry named `name` (as a search in order finds it) with its schema; nil when none is.
    mutating func tool(named name: String) -> CalledTool? {
        if let lastCalled, lastCalled.name == name { return lastCalled.tool }
        guard let position = index.position(of: name, in: entries) else { return nil }
        let schema = schemas[position] ?? ArgumentSchema(entries[position].inputSchema)
        schemas[position] = schema
        let tool = CalledTool(entries, position, schema: schema)
        lastCalled = (name, tool)
        return tool
    }
}

/// Finds catalog entries by name without hashing it: by the name's length in UTF-8 bytes (tool names are
/// short and of many lengths, so few share one), then by comparing the names of that length. Names are
/// compared as Strings (canonical equivalence), as a search in order did: an ASCII name equals only the
/// same bytes or a name with non-ASCII characters (the Kelvin sign is a K), so those are kept apart and
/// always compared, and a non-ASCII name is looked for in the whole list.
struct ToolNameIndex: Sendable {
    /// Positions of the entries with ASCII names by name length, each list in entry order so that the
    /// first entry of a name wins.
    private let asciiByLength: [[Int]]
    /// Positions of the entries whose names are not ASCII (none, from the tools known today).
    private let others: [Int]
    /// Longer names share the last list: an editor may declare any name, and a list per length would make
    /// a very long one cost memory.
    private static let longestOwnLength = 64

    init(_ entries: [ToolCatalog.Entry]) {
        var byLength: [[Int]] = []
        var others: [Int] = []
        for (position, entry) in entries.enumerated() {
            guard Self.isASCII(entry.name) else {
                others.append(position)
                continue
            }
            let slot = min(entry.name.utf8.count, Self.longestOwnLength)
            if slot >= byLength.count { byLength += Array(repeating: [], count: slot + 1 - byLength.count) }
            byLength[slot].append(position)
        }
        asciiByLength = byLength
        self.others = others
    }

    /// The position in `entries` (the list this index was made of) of the first entry named `name`.
    func position(of name: String, in entries: [ToolCatalog.Entry]) -> Int? {
        guard Self.isASCII(name) else { return entries.firstIndex { $0.name == name } }
        let slot = min(name.utf8.count, Self.longestOwnLength)
        let sameLength = slot < asciiByLength.count ? asciiByLength[slot].first { entries[$0].name == name } : nil
        guard let other = others.first(where: { entries[$0].name == name }) else { return sameLength }
        return min(other, sameLength ?? other)
    }

    /// Read as contiguous bytes: iterating the UTF-8 view cost more than the look-up it guards.
    private static func isASCII(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { $0.allSatisfy { $0 < 0x80 } }
    }
}

extension ToolCatalog {
    private static let allIndex = ToolNameIndex(all)
    /// Read once, for calls of a catalog tool no editor offers now (they are refused by the core, after
    /// their arguments are checked as always).
    private static let allSchemas = all.map { ArgumentSchema($0.inputSchema) }

    package static func entry(named name: String) -> Entry? {
        allIndex.position(of: name, in: all).map { all[$0] }
    }

    static func calledTool(named name: String) -> CalledTool? {
        allIndex.position(of: name, in: all).map { CalledTool(all, $0, schema: allSchemas[$0]) }
    }
}
