import GatewayCore

/// Values by `CallKey` (a session's calls in flight, by the host's request id), for the MCP face's hot
/// path: every routed call stores one and its answer takes it out. A `Dictionary` hashed the key with
/// SipHash on each way (three times since a repeated id is refused), and its removal hashed the entries
/// after the removed one again: about 1,000 instructions per call. Here an integer id (what hosts send) is placed by one multiplication with a
/// random odd number chosen per table (the high bits of the product pick the slot), and removal shifts
/// the following entries back without a hash function of any cost. A text id is hashed as `CallKey` hashes
/// it (its bytes, with `Hasher`), and keys are equal as `CallKey`s are.
///
/// Open addressing with linear probing, at most half full. Hosts choose the ids: a host that made all its
/// ids collide would only make its own calls slower, one probe per call in flight (bounded by the core's
/// `--max-commands-in-flight` and the host's own patience), and it cannot see the multiplier.
struct CallTable<Value> {
    /// A slot's key, or nil where the slot is free; probing reads only these.
    private var keys: [CallKey?]
    /// The value of the key in the same slot.
    private var stored: [Value?]
    /// 64 − log2(keys.count): the product's high bits that index a slot.
    private var shift: Int
    private let multiplier: UInt64
    private(set) var count = 0

    private static var smallestCapacity: Int { 16 }

    init() {
        var generator = SystemRandomNumberGenerator()
        self.init(multiplier: generator.next())
    }

    /// With a chosen multiplier (made odd): tests choose 1, which puts every small integer in slot 0.
    init(multiplier: UInt64) {
        keys = Array(repeating: nil, count: Self.smallestCapacity)
        stored = Array(repeating: nil, count: Self.smallestCapacity)
        shift = 64 - Self.smallestCapacity.trailingZeroBitCount
        self.multiplier = multiplier | 1
    }

    var isEmpty: Bool { count == 0 }

    /// The values, in no particular order (as a dictionary's).
    var values: [Value] { stored.compactMap { $0 } }

    func contains(_ key: CallKey) -> Bool { find(key) != nil }

    subscript(key: CallKey) -> Value? {
        get { find(key).flatMap { stored[$0] } }
        set {
            if let newValue { insert(newValue, for: key) } else { removeValue(forKey: key) }
        }
    }

    /// Stores `value` for `key`, replacing the value a key equal to it had.
    mutating func insert(_ value: consuming Value, for key: CallKey) {
        let mask = keys.count - 1
        var slot = home(of: key)
        while let other = keys[slot] {
            if Self.same(other, key) {
                stored[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        stored[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
    }

    @discardableResult
    mutating func removeValue(forKey key: CallKey) -> Value? {
        guard var hole = find(key) else { return nil }
        let removed = stored[hole].take()
        keys[hole] = nil
        count -= 1
        // Backward shift: an entry after the hole moves into it unless its home lies cyclically in
        // (hole, here], where a search for it would not pass the hole.
        let mask = keys.count - 1
        var here = (hole + 1) & mask
        while let moving = keys[here] {
            let home = home(of: moving)
            let stays = hole <= here ? (hole < home && home <= here) : (hole < home || home <= here)
            if !stays {
                keys[hole] = moving
                keys[here] = nil
                stored[hole] = stored[here].take()
                hole = here
            }
            here = (here + 1) & mask
        }
        return removed
    }

    mutating func removeAll() {
        self = CallTable(multiplier: multiplier)
    }

    private func find(_ key: CallKey) -> Int? {
        let mask = keys.count - 1
        var slot = home(of: key)
        while let other = keys[slot] {
            if Self.same(other, key) { return slot }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// CallKey's `==` (texts equal when their bytes are), with integers compared here: the conformance
    /// lives in GatewayCore, and calling it went through the protocol witness on every probe.
    private static func same(_ left: CallKey, _ right: CallKey) -> Bool {
        if case .number(let one) = left, case .number(let other) = right { return one == other }
        return left == right
    }

    private func home(of key: CallKey) -> Int {
        let bits: UInt64 = switch key {
        case .number(let number): UInt64(bitPattern: Int64(number))
        case .text: UInt64(bitPattern: Int64(key.hashValue))  // CallKey's hash: the text's bytes
        }
        return Int(truncatingIfNeeded: (bits &* multiplier) >> UInt64(shift))
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = stored
        keys = Array(repeating: nil, count: oldKeys.count * 2)
        stored = Array(repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) {
            if let key, let value { insert(value, for: key) }
        }
    }
}
