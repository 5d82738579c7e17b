import Testing
@testable import GatewayCore

/// The state machines the core composes, each with its own state, deadline and expiry.
@Suite struct OwnedStateTests {
    @Test func sceneLocksAreHeldPerSessionRenewedAndExpire() {
        var locks = SceneLockTable()
        #expect(locks.nextDeadline == .infinity)
        guard case .taken = locks.lock(scene: "res://a.tscn", session: "s1", holder: "Alice", now: 0, expires: 10) else {
            Issue.record("not taken"); return
        }
        guard case .held(let holder) = locks.lock(scene: "res://a.tscn", session: "s2", holder: "Bob", now: 1, expires: 11) else {
            Issue.record("taken twice"); return
        }
        #expect(holder.holder == "Alice")
        guard case .taken = locks.lock(scene: "res://a.tscn", session: "s1", holder: "Alice", now: 2, expires: 12) else {
            Issue.record("not renewed"); return
        }
        #expect(locks.nextDeadline == 12)
        #expect(locks.heldAgainst(session: "s2", scenes: ["res://b.tscn", "res://a.tscn"], now: 3)?.holder == "Alice")
        #expect(locks.heldAgainst(session: "s1", scenes: ["res://a.tscn"], now: 3) == nil)
        let unlockedByAnother = locks.unlock(scene: "res://a.tscn", session: "s2")
        #expect(!unlockedByAnother)
        locks.expire(now: 12)
        #expect(locks.isEmpty)
        _ = locks.lock(scene: "res://c.tscn", session: "s3", holder: "C", now: 0, expires: 5)
        locks.release(session: "s3")
        #expect(locks.isEmpty)
    }

    @Test func signInsAreBoundedPerTokenAndEndWithTheirToken() {
        var table = SignInTable(maximumPerToken: 2)
        func caller(_ secret: String) -> CallerIdentity {
            CallerIdentity(name: secret, rights: .full, credential: Credential(kind: .personToken, secret: secret, grants: .full))
        }
        for (index, cookie) in ["a1", "a2", "a3"].enumerated() {
            table.add(.init(cookie: cookie, expires: 100, caller: caller("alice")), now: Double(index))
        }
        table.add(.init(cookie: "b1", expires: 5, caller: caller("bob")), now: 3)
        #expect(table.session(cookie: "a1", now: 4) == nil)  // the oldest of alice's three went
        #expect(table.session(cookie: "a3", now: 4)?.caller.name == "alice")
        #expect(table.session(cookie: "b1", now: 5) == nil)  // lapsed
        let ended = table.end { $0.caller.name == "alice" }
        #expect(ended == 2)
        table.expire(now: 6)
        #expect(table.count == 0)
    }
}
