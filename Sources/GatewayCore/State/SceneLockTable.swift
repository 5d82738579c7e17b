/// Advisory scene locks: who holds which scene, and until when. It owns its state, its next deadline and
/// its expiry; the core asks it and composes it (`GatewayCore+Collaboration`).
package struct SceneLockTable: Sendable {
    private var locks: [String: SceneLock] = [:]

    package init() {}

    package var isEmpty: Bool { locks.isEmpty }
    /// In scene order, for the dashboard.
    package var sorted: [SceneLock] { locks.values.sorted { $0.scene < $1.scene } }
    /// When the first lock lapses (infinity: none held).
    package var nextDeadline: Double { locks.values.reduce(.infinity) { min($0, $1.expires) } }

    /// What taking a lock came to.
    package enum Outcome {
        case taken(SceneLock)
        /// Another session holds it.
        case held(by: SceneLock)
    }

    /// Takes (or renews) `scene` for `session` until `expires`, unless another session holds it now.
    package mutating func lock(scene: String, session: String, holder: String, now: Double, expires: Double) -> Outcome {
        if let held = locks[scene], held.session != session, held.expires > now { return .held(by: held) }
        let lock = SceneLock(scene: scene, session: session, holder: holder, expires: expires)
        locks[scene] = lock
        return .taken(lock)
    }

    /// Releases `scene` if `session` holds it; returns whether it did.
    package mutating func unlock(scene: String, session: String) -> Bool {
        guard locks[scene]?.session == session else { return false }
        locks[scene] = nil
        return true
    }

    /// A session ended: its locks go with it.
    package mutating func release(session: String) {
        locks = locks.filter { $0.value.session != session }
    }

    package mutating func expire(now: Double) {
        locks = locks.filter { $0.value.expires > now }
    }

    /// The first of `scenes` another session than `session` holds now.
    package func heldAgainst(session: String, scenes: [String], now: Double) -> SceneLock? {
        for scene in scenes {
            if let held = locks[scene], held.session != session, held.expires > now { return held }
        }
        return nil
    }
}
