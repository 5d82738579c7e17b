/// The connected clients, in slots addressed by `ClientHandle`, with an index by id for the cold paths
/// (a host naming an editor, the dashboard, resume, the cluster). Owned by the service thread; not
/// thread-safe by design.
///
/// A slot belongs to a connection from `add` until `release`, which the core calls when the socket is
/// gone. In between, the record may leave (`remove`: the client was dropped for silence, or moved aside by
/// a resume) while its socket still closes: the slot stays taken, so the socket layer, which files its
/// connections by slot, never sees two live connections on one. A resumed record is put back into the
/// resuming connection's slot (`restore`).
package struct ClientRegistry {
    private struct Slot {
        var generation: UInt32 = 0
        /// Taken by a connection (false: on the free list).
        var taken = true
        /// Its record is in `records` (false: the record left, or the slot is free).
        var occupied = false
        /// The next free slot after this one while it is free (`noSlot`: none). The free list lives in the
        /// slots rather than in an array of its own: every copy of the registry (a read through the core's
        /// property copies it) retains each of its arrays.
        var nextFree = ClientRegistry.noSlot
    }

    private static let noSlot = UInt32.max

    private var slots: [Slot] = []
    /// The record of each slot, `ClientRecord.vacant` where there is none. Not optional, and apart from
    /// `slots`: reading a field of an optional record (`slot.record?.open`) copied the whole record
    /// first, about twenty reference-counted fields, per editor per routed call (perf showed the copies).
    private var records: [ClientRecord] = []
    /// The slot freed last, head of the free list (`noSlot`: none is free).
    private var firstFree = noSlot
    /// Where each registered id is; only ids whose record is in a slot.
    private var index: [String: ClientHandle] = [:]
    package private(set) var count = 0
    private var nextSequence: UInt64 = 0
    /// Clients per remote address, kept up to date so the per-address limit costs O(1) per connection.
    private var addressCounts: [String: Int] = [:]
    /// Clients that have not authenticated yet, oldest first: a pool of their own (`SecuritySettings.
    /// maxUnauthenticated`), small, so a linear scan of it is cheap.
    package private(set) var unauthenticated: [(id: String, group: String)] = []

    package init() {}

    /// Clients that authenticated (or needed not): the pool `--max-clients` bounds.
    package var authenticatedCount: Int { count - unauthenticated.count }

    /// Unauthenticated clients from the same address group (`AddressGroup`).
    package func unauthenticatedCount(inGroup group: String) -> Int {
        unauthenticated.reduce(0) { $0 + ($1.group == group ? 1 : 0) }
    }

    /// Clients from `address` in the authenticated pool.
    package func authenticatedCount(fromAddress address: String) -> Int {
        count(fromAddress: address) - unauthenticated.reduce(0) { $0 + (self[$1.id]?.remoteAddress == address ? 1 : 0) }
    }

    /// An unauthenticated client being closed leaves the pool now, not when its socket is gone.
    package mutating func forgetUnauthenticated(_ id: String) {
        unauthenticated.removeAll { $0.id == id }
    }

    /// The client authenticated: it leaves the unauthenticated pool.
    package mutating func markAuthenticated(_ handle: ClientHandle) {
        guard let id = id(of: handle) else { return }
        unauthenticated.removeAll { $0.id == id }
        update(handle) { $0.authenticated = true }
    }

    // MARK: Lookups

    /// The slot `handle` names while its generation is current; nil for a stale or detached handle.
    private func position(of handle: ClientHandle) -> Int? {
        let slot = Int(handle.slot)
        guard slot < slots.count, slots[slot].generation == handle.generation, slots[slot].taken else { return nil }
        return slot
    }

    /// The slot `handle` names while it holds a record.
    private func occupied(_ handle: ClientHandle) -> Int? {
        guard let slot = position(of: handle), slots[slot].occupied else { return nil }
        return slot
    }

    /// The handle of the client registered as `id` (a hash of the id: for cold paths).
    package func handle(of id: String) -> ClientHandle? {
        // No client has an empty id; the host's own session ("") is asked about on every call.
        guard !id.isEmpty else { return nil }
        return index[id]
    }

    package subscript(id: String) -> ClientRecord? {
        handle(of: id).flatMap { self[$0] }
    }

    /// A copy of the record; hot paths read single fields through the accessors below instead.
    package subscript(handle: ClientHandle) -> ClientRecord? {
        occupied(handle).map { records[$0] }
    }

    /// The id of the client in `handle`'s slot (the string is shared, not copied).
    package func id(of handle: ClientHandle) -> String? {
        occupied(handle).map { records[$0].id }
    }

    /// A message arrived from the client: if it is registered and not being closed, it is alive and the
    /// message is counted, and its id and whether it authenticated are returned; else nil. One access to
    /// the registry for what a message needs first (each access from the core is an exclusivity check).
    package mutating func messageArrived(_ handle: ClientHandle, bytes: Int, now: Double, nowMs: Int64) -> (id: String, authenticated: Bool)? {
        guard let slot = occupied(handle), records[slot].open else { return nil }
        records[slot].lastActivity = now
        records[slot].lastActivityMs = nowMs
        records[slot].messagesIn += 1
        records[slot].bytesIn += UInt64(bytes)
        return (records[slot].id, records[slot].authenticated)
    }

    /// Whether the client is registered and not being closed.
    package func isOpen(_ handle: ClientHandle) -> Bool {
        guard let slot = occupied(handle) else { return false }
        return records[slot].open
    }

    package func isOpen(_ id: String) -> Bool {
        handle(of: id).map(isOpen) ?? false
    }

    /// Whether the client is registered and has authenticated (nil: not registered).
    package func isAuthenticated(_ handle: ClientHandle) -> Bool? {
        occupied(handle).map { records[$0].authenticated }
    }

    /// The type the client has now (nil: not registered).
    package func type(of handle: ClientHandle) -> ClientType? {
        occupied(handle).map { records[$0].type }
    }

    /// Clients in the order they connected.
    package var all: [ClientRecord] {
        unordered.sorted { $0.sequence < $1.sequence }
    }

    /// Clients in no particular order, for sweeps where order does not matter (no sorting, no array).
    package var unordered: some Sequence<ClientRecord> {
        occupiedSlots.map { records[$0] }
    }

    /// The slots that hold a record.
    private var occupiedSlots: LazyFilterSequence<Range<Int>> {
        slots.indices.lazy.filter { slots[$0].occupied }
    }

    // MARK: Deadlines (the core closes and removes; the registry says who and when)

    /// When the first client falls silent for `heartbeatTimeout`, or the first open one's time to
    /// authenticate ends (infinity: no client).
    package func nextDeadline(heartbeatTimeout: Double) -> Double {
        var earliest = Double.infinity
        for slot in occupiedSlots {
            earliest = min(earliest, records[slot].lastActivity + heartbeatTimeout)
            if records[slot].open, let deadline = records[slot].authDeadline { earliest = min(earliest, deadline) }
        }
        return earliest
    }

    /// Open clients whose time to authenticate is over at `now`.
    package func authenticationOverdue(now: Double) -> [ClientRecord] {
        unordered.filter { $0.open && ($0.authDeadline ?? .infinity) <= now }
    }

    /// Clients silent (no frame, no pong) for `heartbeatTimeout` at `now`.
    package func silent(now: Double, heartbeatTimeout: Double) -> [ClientRecord] {
        unordered.filter { now - $0.lastActivity >= heartbeatTimeout }
    }

    /// Whether any client subscribed to `event`.
    package func anySubscribed(to event: String) -> Bool {
        occupiedSlots.contains { records[$0].eventSubscriptions.contains(event) }
    }

    package func count(of type: ClientType) -> Int {
        occupiedSlots.reduce(0) { $0 + (records[$1].type == type ? 1 : 0) }
    }

    package func count(fromAddress address: String) -> Int {
        addressCounts[address] ?? 0
    }

    // MARK: Slots

    /// A record for a new connection, in connection order, not stored anywhere yet (see `add`; resume
    /// state adopted from a previous gateway keeps such records as departed without a slot).
    package mutating func makeRecord(
        id: String, type: ClientType, request: ConnectionRequest, authenticated: Bool, security: SecuritySettings, now: Double, nowMs: Int64
    ) -> ClientRecord {
        defer { nextSequence += 1 }
        return ClientRecord(
            id: id, type: type, remoteAddress: request.remoteAddress, userAgent: request.userAgent,
            sequence: nextSequence, connectedAtMs: nowMs, lastActivityMs: nowMs, lastActivity: now,
            authenticated: authenticated, authDeadline: authenticated ? nil : now + security.authTimeout,
            messageBucket: TokenBucket(rate: security.messagesPerSecond, burst: security.messageBurst, now: now),
            byteBucket: TokenBucket(rate: security.bytesPerSecond, burst: security.byteBurst, now: now))
    }

    /// Registers a new connection in a free slot (one freed earlier, else a new one).
    @discardableResult
    package mutating func add(
        id: String, type: ClientType, request: ConnectionRequest, authenticated: Bool, security: SecuritySettings,
        now: Double, nowMs: Int64
    ) -> ClientHandle {
        let record = makeRecord(id: id, type: type, request: request, authenticated: authenticated, security: security, now: now, nowMs: nowMs)
        let handle: ClientHandle
        if firstFree != Self.noSlot {
            let slot = firstFree
            firstFree = slots[Int(slot)].nextFree
            slots[Int(slot)].taken = true
            handle = ClientHandle(slot: slot, generation: slots[Int(slot)].generation)
        } else {
            slots.append(Slot())
            records.append(.vacant)
            handle = ClientHandle(slot: UInt32(slots.count - 1), generation: 0)
        }
        store(record, at: handle)
        if !authenticated { unauthenticated.append((id, AddressGroup.of(request.remoteAddress))) }
        return handle
    }

    /// Puts back a record that left (a client that resumed, under its own id) into the slot of the
    /// connection it resumed on, which must be taken and empty. False when it is not.
    @discardableResult
    package mutating func restore(_ record: ClientRecord, at handle: ClientHandle) -> Bool {
        guard let slot = position(of: handle), !slots[slot].occupied else { return false }
        store(record, at: handle)
        return true
    }

    private mutating func store(_ record: ClientRecord, at handle: ClientHandle) {
        var record = record
        record.handle = handle
        addressCounts[record.remoteAddress, default: 0] += 1
        index[record.id] = handle
        records[Int(handle.slot)] = record
        slots[Int(handle.slot)].occupied = true
        count += 1
    }

    /// Takes the client's record out; its slot stays taken until `release` (the socket may still be closing).
    @discardableResult
    package mutating func remove(_ handle: ClientHandle) -> ClientRecord? {
        guard let slot = occupied(handle) else { return nil }
        var record = records[slot]
        // The slot stays the closing socket's until `release`: a departed record kept elsewhere (resume
        // windows) must not address that socket through a handle that is still current.
        record.handle = .detached
        records[slot] = .vacant
        slots[slot].occupied = false
        count -= 1
        if index[record.id] == handle { index[record.id] = nil }
        if !record.authenticated { unauthenticated.removeAll { $0.id == record.id } }
        let remaining = (addressCounts[record.remoteAddress] ?? 1) - 1
        addressCounts[record.remoteAddress] = remaining > 0 ? remaining : nil
        return record
    }

    @discardableResult
    package mutating func remove(_ id: String) -> ClientRecord? {
        handle(of: id).flatMap { remove($0) }
    }

    /// The connection is gone: its record (if still there) leaves and the slot is free for another
    /// connection, under the next generation. Returns the record that was still there.
    @discardableResult
    package mutating func release(_ handle: ClientHandle) -> ClientRecord? {
        guard let slot = position(of: handle) else { return nil }
        let record = remove(handle)
        slots[slot].taken = false
        slots[slot].generation &+= 1
        slots[slot].nextFree = firstFree
        firstFree = UInt32(slot)
        return record
    }

    // MARK: Changes

    /// Applies `change` to a client if it is still registered. In place: a copy taken out of the slot
    /// would share its sets with the stored record, so every insert would copy them whole.
    package mutating func update(_ handle: ClientHandle, _ change: (inout ClientRecord) -> Void) {
        guard let slot = occupied(handle) else { return }
        change(&records[slot])
    }

    /// The same for a client named by id (a hash of the id: for cold paths).
    package mutating func update(_ id: String, _ change: (inout ClientRecord) -> Void) {
        guard let handle = handle(of: id) else { return }
        update(handle, change)
    }

    /// Applies `change` to every client in place, in no particular order.
    package mutating func updateEach(_ change: (inout ClientRecord) -> Void) {
        for slot in slots.indices where slots[slot].occupied { change(&records[slot]) }
    }

    // MARK: Routing

    /// How many editors a command could be routed to (that run `tool`, when given).
    package var routableCount: Int { routableCount(offering: nil) }

    /// Read in place: no copy of a record per editor per call (see `readingRecords`).
    package func routableCount(offering tool: String?) -> Int {
        readingRecords { records in
            var count = 0
            for slot in records.indices where Self.isRoutable(records, slot, offering: tool) && slots[slot].occupied { count += 1 }
            return count
        }
    }

    /// Lends the records for reading in place, field by field (`isRoutable(_:_:offering:)`). Calling a
    /// method on a record read out of the array (`records[slot].isRoutable(offering:)`) made the compiler
    /// copy the whole record first, about twenty reference-counted fields: perf showed that copy and its
    /// destroy per editor per routed call in `routableCount` and `firstRoutable`.
    private func readingRecords<Result>(_ read: (UnsafeBufferPointer<ClientRecord>) -> Result) -> Result {
        records.withUnsafeBufferPointer(read)
    }

    /// `ClientRecord.isRoutable(offering:)`, read field by field where the record is.
    private static func isRoutable(_ records: UnsafeBufferPointer<ClientRecord>, _ slot: Int, offering tool: String?) -> Bool {
        guard records[slot].type == .godot, records[slot].ready, records[slot].open, records[slot].authenticated else { return false }
        guard let tool else { return true }
        return records[slot].offeredNames?.contains(tool) ?? OriginalProtocol.defaultCommands.contains(tool)
    }

    /// The one editor a command could be routed to, when there is exactly one.
    package var onlyRoutableEditor: ClientRecord? {
        let found: Int? = readingRecords { records in
            var found: Int?
            for slot in records.indices where Self.isRoutable(records, slot, offering: nil) && slots[slot].occupied {
                if found != nil { return nil }
                found = slot
            }
            return found
        }
        return found.map { records[$0] }
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
        firstRoutableSlot(offering: tool, by: isBefore).map { records[$0] }
    }

    /// The same editor's handle: routing takes no copy of the record.
    package func firstRoutableHandle(offering tool: String? = nil, by isBefore: (ClientRecord, ClientRecord) -> Bool) -> ClientHandle? {
        firstRoutableSlot(offering: tool, by: isBefore).map { ClientHandle(slot: UInt32($0), generation: slots[$0].generation) }
    }

    private func firstRoutableSlot(offering tool: String?, by isBefore: (ClientRecord, ClientRecord) -> Bool) -> Int? {
        readingRecords { records in
            var best: Int?
            // Whether an editor offers the tool (a hash of its name) is asked only of one that would
            // come first: with one editor, once per call.
            for slot in records.indices where Self.isRoutable(records, slot, offering: nil) && slots[slot].occupied {
                if let current = best, !isBefore(records[slot], records[current]) { continue }
                guard Self.isRoutable(records, slot, offering: tool) else { continue }
                best = slot
            }
            return best
        }
    }

    /// Nil when the slot holds no record, or (never in this registry) another node's editor.
    package func sendingFacts(of handle: ClientHandle) -> SendingFacts? {
        guard let slot = occupied(handle), records[slot].node == nil else { return nil }
        return SendingFacts(id: records[slot].id, sequence: records[slot].sequence, inFlight: records[slot].inFlightCommands.count)
    }
}

extension ClientRecord {
    /// What an empty slot holds: never open, ready or routable, so the routing loops may test it like
    /// any record before they look at whether the slot is occupied.
    fileprivate static let vacant = ClientRecord(
        id: "", type: .unknown, open: false, remoteAddress: "", sequence: .max, connectedAtMs: 0, lastActivityMs: 0, lastActivity: 0,
        authenticated: false, messageBucket: TokenBucket(rate: 0, burst: 0, now: 0), byteBucket: TokenBucket(rate: 0, burst: 0, now: 0))
}
