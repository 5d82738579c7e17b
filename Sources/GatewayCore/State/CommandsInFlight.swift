/// Commands sent to editors and not answered yet, the ids commands go by, and the ids of the last ones
/// the host cancelled. It owns that state, its next deadline and its expiry; the core decides what an
/// answer, a timeout or a cancellation means for the caller (`GatewayCore+Commands`, `+Time`).
///
/// Ids are this process's random prefix (taken once, at start) and a counter: making one costs no
/// random bytes, and the table is keyed by the counter, so an editor's answer is matched by parsing a
/// number, not by hashing a string. A counter is predictable, and that is fine: a command goes only to
/// the editor it was sent to, and only that editor's answer (or progress) is accepted for it, so knowing
/// another editor's next id gains nothing. The prefix is what keeps ids apart across processes: another
/// cluster node, or this node after a restart, never issues the same id (other nodes remember answers
/// to forwarded calls by id; a restarted node starting its counter at 1 again must not hit them).
struct CommandsInFlight {
    /// A command's place in the table: the counter of one of this process's ids, or (high bit set) a
    /// number given to an id another node made, so the two never meet.
    typealias Key = UInt64

    /// This process's ids start with this (16 characters of the random id it was made from, then "-").
    let prefix: String
    /// The prefix's bytes, compared with an answer's id without walking a String's UTF-8 view.
    private let prefixBytes: [UInt8]
    private var counter: Key = 0
    private var commands: [Key: PendingCommand] = [:]
    /// Ids made by other cluster nodes (a call they forwarded here, or one that followed its editor here)
    /// keep their id — the editor answers a repeat of an id from its cache — and get a key of their own.
    private var foreignKeys: [String: Key] = [:]
    private var foreignCounter: Key = 0
    /// Ids of the last commands the host cancelled, oldest first: an editor's late answer to one is
    /// dropped quietly rather than logged as unknown.
    private var recentlyCancelled: [String] = []
    static let cancelledKept = 256
    static let foreignBit: Key = 1 << 63

    /// `randomID`: a fresh random id (a UUID); its first 16 characters other than "-" become the prefix.
    init(randomID: String) {
        prefix = String(randomID.lazy.filter { $0 != "-" }.prefix(16)) + "-"
        prefixBytes = Array(prefix.utf8)
    }

    var count: Int { commands.count }
    var isEmpty: Bool { commands.isEmpty }

    /// When the first command times out (infinity: none in flight).
    var nextDeadline: Double {
        var earliest = Double.infinity
        for command in commands.values { earliest = min(earliest, command.deadline) }
        return earliest
    }

    /// The id `makeID` made last and its key: `insert` takes the key from here rather than parsing it back
    /// out of the id (the command inserted next is nearly always the one whose id was just made).
    private var lastMade: (id: String, key: Key)?

    /// A new command id (for a command sent, queued or waiting): the prefix and the counter's digits,
    /// written once into the string's own storage.
    mutating func makeID() -> String {
        counter += 1
        let value = counter
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let id = String(unsafeUninitializedCapacity: prefixBytes.count + digits) { buffer in
            var end = prefixBytes.count
            for (offset, byte) in prefixBytes.enumerated() { buffer[offset] = byte }
            end += digits
            var remaining = value
            for position in stride(from: end - 1, through: prefixBytes.count, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            return end
        }
        lastMade = (id, value)
        return id
    }

    /// The key of `id`: parsed from one of this process's ids, looked up for another node's. Nil for an
    /// id this process never gave out (no prefix of ours, a bad counter, unknown).
    func key(of id: String) -> Key? {
        if let own = Self.counter(in: id, prefix: prefixBytes) { return own }
        return foreignKeys.isEmpty ? nil : foreignKeys[id]
    }

    /// The counter after `prefix` in `id`: decimal digits only, no leading zero, below `foreignBit` —
    /// one spelling per number, so no second id names the same command. Read from the string's own
    /// UTF-8 storage when it has one (always, for ids decoded from a message), without copying it.
    static func counter(in id: String, prefix: [UInt8]) -> Key? {
        if let parsed = id.utf8.withContiguousStorageIfAvailable({ counter(in: $0, prefix: prefix) }) { return parsed }
        return counter(in: Array(id.utf8), prefix: prefix)
    }

    private static func counter<Bytes: Collection>(in id: Bytes, prefix: [UInt8]) -> Key? where Bytes.Element == UInt8 {
        var position = id.startIndex
        for expected in prefix {
            guard position != id.endIndex, id[position] == expected else { return nil }
            position = id.index(after: position)
        }
        guard position != id.endIndex, id[position] != UInt8(ascii: "0") || id.index(after: position) == id.endIndex else { return nil }
        var value: Key = 0
        while position != id.endIndex {
            let digit = id[position] &- UInt8(ascii: "0")
            // value * 10 + digit must stay below `foreignBit`.
            guard digit <= 9, value < foreignBit / 10 || (value == foreignBit / 10 && Key(digit) < foreignBit % 10) else { return nil }
            value = value * 10 + Key(digit)
            position = id.index(after: position)
        }
        return value
    }

    /// Whether `key` is a command in flight sent to `clientId` (no copy of it is made).
    func isSent(_ key: Key, to clientId: String) -> Bool {
        commands[key]?.clientId == clientId
    }

    /// The command `id` names, if `clientId` is the editor it was sent to: only that editor may answer it.
    func command(_ id: String, sentTo clientId: String) -> PendingCommand? {
        guard let key = key(of: id), let command = commands[key], command.clientId == clientId else { return nil }
        return command
    }

    /// The key of `id` when it names a command in flight sent to `clientId`.
    func key(of id: String, sentTo clientId: String) -> Key? {
        guard let key = key(of: id), isSent(key, to: clientId) else { return nil }
        return key
    }

    subscript(key: Key) -> PendingCommand? { commands[key] }

    /// Takes out the command an answer names by its id's bytes, when the id is one this process made
    /// (prefix and counter) and the command was sent to `clientId`: the id is not made into a String only
    /// to be parsed back. Nil otherwise, with nothing changed: any other id goes the way of `key(of:sentTo:)`.
    mutating func takeOwn(answeredBy id: UnsafeRawBufferPointer, sentTo clientId: String) -> PendingCommand? {
        guard let key = Self.counter(in: id, prefix: prefixBytes), isSent(key, to: clientId) else { return nil }
        return remove(key)
    }

    /// Adds a command sent to an editor (replacing one of the same id); returns its key.
    @discardableResult
    mutating func insert(_ command: consuming PendingCommand) -> Key {
        let key: Key
        if let made = lastMade, made.id.utf8.elementsEqual(command.id.utf8) {  // bytes: String == is canonical equivalence (K and the Kelvin sign)
            key = made.key
        } else if let own = Self.counter(in: command.id, prefix: prefixBytes) {
            key = own
        } else if let known = foreignKeys[command.id] {
            key = known
        } else {
            foreignCounter += 1
            key = Self.foreignBit | foreignCounter
            foreignKeys[command.id] = key
        }
        command.key = key
        commands[key] = consume command
        return key
    }

    /// Its editor dropped: it waits for the editor to resume (or for its grace to end).
    mutating func setAwaitingResume(_ key: Key) {
        commands[key]?.awaitingResume = true
    }

    /// Replaces a command's state (a later deadline, progress forwarded, waiting for its editor's resume).
    mutating func update(_ key: Key, to command: PendingCommand) {
        guard commands[key] != nil else { return }
        commands[key] = command
    }

    @discardableResult
    mutating func remove(_ key: Key) -> PendingCommand? {
        guard let command = commands.removeValue(forKey: key) else { return nil }
        if key & Self.foreignBit != 0 { foreignKeys[command.id] = nil }
        return command
    }

    /// The host cancelled `key`: removed, and its id remembered for a while.
    mutating func cancel(_ key: Key) -> PendingCommand? {
        guard let command = remove(key) else { return nil }
        recentlyCancelled.append(command.id)
        if recentlyCancelled.count > Self.cancelledKept { recentlyCancelled.removeFirst(recentlyCancelled.count - Self.cancelledKept) }
        return command
    }

    /// Whether `id` is one of the commands the host cancelled lately.
    func wasCancelled(_ id: String) -> Bool { recentlyCancelled.contains(id) }

    /// Removes the commands sent to `clientId`, in the order they were made.
    mutating func removeAll(sentTo clientId: String) -> [PendingCommand] {
        take { $0.clientId == clientId }
    }

    /// Removes every command (the gateway is closing), in the order they were made.
    mutating func removeAll() -> [PendingCommand] {
        take { _ in true }
    }

    /// Removes the commands whose deadline has come, in the order they were made; the core fails them.
    mutating func expire(now: Double) -> [PendingCommand] {
        take { $0.deadline <= now }
    }

    private mutating func take(where isTaken: (PendingCommand) -> Bool) -> [PendingCommand] {
        let keys = commands.compactMap { isTaken($0.value) ? $0.key : nil }.sorted()
        return keys.compactMap { remove($0) }
    }
}

/// A command sent to an editor and not yet answered.
struct PendingCommand {
    let id: String
    /// Its place in `CommandsInFlight` (set when it is added there).
    var key: CommandsInFlight.Key = 0
    let name: String
    /// Kept to send the command again, once, to an editor that resumes after dropping.
    let parameters: CommandParameters
    var params: JSONValue { parameters.jsonValue }
    let clientId: String
    var started: Double
    /// Moved later (within a bound) while the editor reports progress.
    var deadline: Double
    let replyTo: ReplyAddress
    let wantsProgress: Bool
    var lastProgressForwarded = -Double.infinity
    /// Its editor dropped before answering; the command waits for the editor to resume.
    var awaitingResume = false
    /// Already sent a second time after a resume; it is not sent a third time.
    var resent = false
}
