/// The connected clients, in connection order. Owned by the service thread; not thread-safe by design.
package struct ClientRegistry {
    private var records: [String: ClientRecord] = [:]
    private var nextSequence: UInt64 = 0
    /// Clients per remote address, kept up to date so the per-address limit costs O(1) per connection.
    private var addressCounts: [String: Int] = [:]
    /// Clients that have not authenticated yet, oldest first: a pool of their own (`SecuritySettings.
    /// maxUnauthenticated`), small, so a linear scan of it is cheap.
    package private(set) var unauthenticated: [(id: String, group: String)] = []

    package init() {}

    package var count: Int { records.count }
    /// Clients that authenticated (or needed not): the pool `--max-clients` bounds.
    package var authenticatedCount: Int { records.count - unauthenticated.count }

    /// Unauthenticated clients from the same address group (`AddressGroup`).
    package func unauthenticatedCount(inGroup group: String) -> Int {
        unauthenticated.reduce(0) { $0 + ($1.group == group ? 1 : 0) }
    }

    /// Clients from `address` in the authenticated pool.
    package func authenticatedCount(fromAddress address: String) -> Int {
        count(fromAddress: address) - unauthenticated.reduce(0) { $0 + (records[$1.id]?.remoteAddress == address ? 1 : 0) }
    }

    /// An unauthenticated client being closed leaves the pool now, not when its socket is gone.
    package mutating func forgetUnauthenticated(_ id: String) {
        unauthenticated.removeAll { $0.id == id }
    }

    /// The client authenticated: it leaves the unauthenticated pool.
    package mutating func markAuthenticated(_ id: String) {
        unauthenticated.removeAll { $0.id == id }
        update(id) { $0.authenticated = true }
    }

    package subscript(id: String) -> ClientRecord? {
        records[id]
    }

    /// Whether client `id` is registered and not being closed.
    package func isOpen(_ id: String) -> Bool {
        records[id]?.open == true
    }

    /// Clients in the order they connected.
    package var all: [ClientRecord] {
        records.values.sorted { $0.sequence < $1.sequence }
    }

    /// Clients in no particular order, for sweeps where order does not matter (no sorting, no copy).
    package var unordered: Dictionary<String, ClientRecord>.Values { records.values }

    // MARK: Deadlines (the core closes and removes; the registry says who and when)

    /// When the first client falls silent for `heartbeatTimeout`, or the first open one's time to
    /// authenticate ends (infinity: no client).
    package func nextDeadline(heartbeatTimeout: Double) -> Double {
        var earliest = Double.infinity
        for record in records.values {
            earliest = min(earliest, record.lastActivity + heartbeatTimeout)
            if record.open, let deadline = record.authDeadline { earliest = min(earliest, deadline) }
        }
        return earliest
    }

    /// Open clients whose time to authenticate is over at `now`.
    package func authenticationOverdue(now: Double) -> [ClientRecord] {
        records.values.filter { $0.open && ($0.authDeadline ?? .infinity) <= now }
    }

    /// Clients silent (no frame, no pong) for `heartbeatTimeout` at `now`.
    package func silent(now: Double, heartbeatTimeout: Double) -> [ClientRecord] {
        records.values.filter { now - $0.lastActivity >= heartbeatTimeout }
    }

    /// Whether any client subscribed to `event`.
    package func anySubscribed(to event: String) -> Bool {
        records.values.contains { $0.eventSubscriptions.contains(event) }
    }

    package func count(of type: ClientType) -> Int {
        records.values.reduce(0) { $0 + ($1.type == type ? 1 : 0) }
    }

    @discardableResult
    package mutating func add(
        id: String, type: ClientType, request: ConnectionRequest, authenticated: Bool, security: SecuritySettings,
        now: Double, nowMs: Int64
    ) -> ClientRecord {
        let record = ClientRecord(
            id: id, type: type, remoteAddress: request.remoteAddress, userAgent: request.userAgent,
            sequence: nextSequence, connectedAtMs: nowMs, lastActivityMs: nowMs, lastActivity: now,
            authenticated: authenticated, authDeadline: authenticated ? nil : now + security.authTimeout,
            messageBucket: TokenBucket(rate: security.messagesPerSecond, burst: security.messageBurst, now: now),
            byteBucket: TokenBucket(rate: security.bytesPerSecond, burst: security.byteBurst, now: now))
        nextSequence += 1
        records[id] = record
        addressCounts[request.remoteAddress, default: 0] += 1
        if !authenticated { unauthenticated.append((id, AddressGroup.of(request.remoteAddress))) }
        return record
    }

    /// Puts back a record that left (a client that resumed), under its own id.
    package mutating func restore(_ record: ClientRecord) {
        records[record.id] = record
        addressCounts[record.remoteAddress, default: 0] += 1
    }

    @discardableResult
    package mutating func remove(_ id: String) -> ClientRecord? {
        guard let record = records.removeValue(forKey: id) else { return nil }
        if !record.authenticated { unauthenticated.removeAll { $0.id == id } }
        let remaining = (addressCounts[record.remoteAddress] ?? 1) - 1
        addressCounts[record.remoteAddress] = remaining > 0 ? remaining : nil
        return record
    }

    /// Applies `change` to a client if it is still registered. In place: a copy taken out of the
    /// dictionary would share its sets with the stored record, so every insert would copy them whole.
    package mutating func update(_ id: String, _ change: (inout ClientRecord) -> Void) {
        guard let index = records.index(forKey: id) else { return }
        change(&records.values[index])
    }

    /// Applies `change` to every client in place, in no particular order.
    package mutating func updateEach(_ change: (inout ClientRecord) -> Void) {
        var index = records.values.startIndex
        while index != records.values.endIndex {
            change(&records.values[index])
            records.values.formIndex(after: &index)
        }
    }

    package func count(fromAddress address: String) -> Int {
        addressCounts[address] ?? 0
    }

    /// How many editors a command could be routed to (that run `tool`, when given).
    package var routableCount: Int { routableCount(offering: nil) }

    package func routableCount(offering tool: String?) -> Int {
        records.values.reduce(0) { $0 + ($1.isRoutable(offering: tool) ? 1 : 0) }
    }

    /// The one editor a command could be routed to, when there is exactly one.
    package var onlyRoutableEditor: ClientRecord? {
        var found: ClientRecord?
        for record in records.values where record.isRoutable {
            if found != nil { return nil }
            found = record
        }
        return found
    }

    /// The editors a command could be routed to, in connection order.
    package var routableEditors: [ClientRecord] {
        all.filter { $0.type == .godot && $0.isRoutable }
    }

    /// The original's `findGodotClient`: the first ready, open godot client in connection order.
    package func firstReadyGodotClient(offering tool: String? = nil) -> ClientRecord? {
        firstRoutable(offering: tool) { $0.sequence < $1.sequence }
    }

    /// The routable editor that sorts first by `isBefore`. One pass, no intermediate array of record
    /// copies: the routing policies run for every command.
    package func firstRoutable(offering tool: String? = nil, by isBefore: (ClientRecord, ClientRecord) -> Bool) -> ClientRecord? {
        var best: Dictionary<String, ClientRecord>.Index?
        for index in records.indices where records.values[index].isRoutable(offering: tool) {
            if let current = best, !isBefore(records.values[index], records.values[current]) { continue }
            best = index
        }
        return best.map { records.values[$0] }
    }
}

extension ClientRecord {
    /// May receive commands: an identified, authenticated, open Godot editor.
    package var isRoutable: Bool { type == .godot && ready && open && authenticated }

    /// Routable and offering `tool` (any tool when nil). A method rather than `tool.map(record.offers)`:
    /// that partial application boxed a copy of the whole record per editor per routed call.
    func isRoutable(offering tool: String?) -> Bool {
        guard isRoutable else { return false }
        guard let tool else { return true }
        return offers(tool)
    }
}
