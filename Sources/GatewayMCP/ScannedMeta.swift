import GatewayCore

/// `params._meta` of a scanned tools/call, read from the host's bytes. Parsing it whole built a dictionary
/// that hashed every name in it, and each member the gateway then looked up hashed its name again; hosts
/// send `_meta` with many calls (a progress token, their own ids, in the 2026 era the protocol version).
/// Here the members the gateway reads are found by comparing name bytes and only their values are built.
extension RequestMeta {
    /// The members read, in the order of `names`.
    private enum Read: Int, CaseIterable {
        case protocolVersion, clientCapabilities, logLevel, clientInfo, progressToken
    }

    private static let names: [[UInt8]] = [
        ProtocolEra.protocolVersionKey, ProtocolEra.clientCapabilitiesKey, ProtocolEra.logLevelKey, ProtocolEra.clientInfoKey, "progressToken",
    ].map { Array($0.utf8) }
    private static let clientInfoNames: [[UInt8]] = ["name", "version"].map { Array($0.utf8) }

    /// What a member's name is, as far as the bytes tell.
    private enum Name {
        case named(Int)
        case other
        /// Escaped or not ASCII: as a String it may equal one of the names, so the parser decides.
        case unclear
    }

    /// nil when the bytes hold something this leaves to the parser (an unclear name, or one of the names
    /// read twice): the line then takes the full path, which reads `_meta` as before.
    init?(scanning bytes: UnsafeRawBufferPointer, _ span: Range<Int>, maximumDepth: Int) {
        self.init()
        let meta = UnsafeRawBufferPointer(rebasing: bytes[span])
        // Not an object: looking a name up in it finds nothing.
        guard meta.first == UInt8(ascii: "{") else { return }
        guard let scan = JSONScanner.scanObject(meta, maximumDepth: maximumDepth) else { return nil }
        var seen = 0  // a bit per `Read`
        for member in scan.members {
            let read: Read
            switch Self.name(of: member, in: meta, among: Self.names) {
            case .unclear: return nil
            case .other: continue
            case .named(let position):
                guard seen & (1 << position) == 0, let known = Read(rawValue: position) else { return nil }
                seen |= 1 << position
                read = known
            }
            switch read {
            case .clientCapabilities: clientCapabilitiesIsObject = meta[member.value.lowerBound] == UInt8(ascii: "{")
            case .clientInfo: guard readClientInfo(meta, member.value, maximumDepth: maximumDepth) else { return nil }
            case .protocolVersion: guard let value = Self.value(meta, member.value) else { return nil }; protocolVersion = value
            case .logLevel: guard let value = Self.value(meta, member.value) else { return nil }; logLevel = value
            case .progressToken: guard let value = Self.value(meta, member.value) else { return nil }; progressToken = value
            }
        }
    }

    /// `clientInfo`'s name and version, when it is an object; false when the scan leaves it to the parser.
    private mutating func readClientInfo(_ meta: UnsafeRawBufferPointer, _ span: Range<Int>, maximumDepth: Int) -> Bool {
        let info = UnsafeRawBufferPointer(rebasing: meta[span])
        guard info.first == UInt8(ascii: "{") else { return true }
        guard let scan = JSONScanner.scanObject(info, maximumDepth: maximumDepth) else { return false }
        var values: [JSONValue?] = [nil, nil]
        for member in scan.members {
            switch Self.name(of: member, in: info, among: Self.clientInfoNames) {
            case .unclear: return false
            case .other: continue
            case .named(let position):
                guard values[position] == nil, let value = Self.value(info, member.value) else { return false }
                values[position] = value
            }
        }
        // As `info["name"]?.stringValue`: a client is named only by a string.
        if let name = values[0]?.stringValue {
            clientName = name
            clientVersion = values[1]?.stringValue
        }
        return true
    }

    private static func name(of member: JSONScanner.Member, in bytes: UnsafeRawBufferPointer, among names: [[UInt8]]) -> Name {
        let key = bytes[member.key]
        guard !member.keyHasEscape, key.allSatisfy({ $0 < 0x80 }) else { return .unclear }
        let position = names.firstIndex { $0.count == key.count && zip($0, key).allSatisfy { $0 == $1 } }
        return position.map(Name.named) ?? .other
    }

    /// The value written at `span` (checked by the scan), built.
    private static func value(_ bytes: UnsafeRawBufferPointer, _ span: Range<Int>) -> JSONValue? {
        try? JSONParser.parse(bytes: Array(bytes[span]))
    }
}
