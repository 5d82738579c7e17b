import Testing
@testable import GatewayCore

/// The calls waiting for an editor on their own: order kept through a delivery attempt, cancellation,
/// a session's calls, expiry.
@Suite struct WaitingCallsTests {
    private func call(_ id: String, session: String = "", expires: Double = 10) -> WaitingCall {
        WaitingCall(id: id, request: CommandRequest(name: "get_scene_tree", params: [:], session: session), since: 0, expires: expires)
    }

    @Test func callsNotDeliveredGoBackAheadOfNewOnesInOrder() {
        var calls = WaitingCalls()
        for id in ["1", "2", "3"] { calls.append(call(id)) }
        let tried = calls.takeAll()
        #expect(tried.map(\.id) == ["1", "2", "3"] && calls.isEmpty)
        calls.append(call("4"))
        calls.putBack([tried[0], tried[2]])
        #expect(calls.takeAll().map(\.id) == ["1", "3", "4"])
    }

    @Test func aCallIsTakenOutByIdOrBySession() {
        var calls = WaitingCalls()
        calls.append(call("1", session: "a"))
        calls.append(call("2", session: "b"))
        calls.append(call("3", session: "a"))
        #expect(calls.remove(id: "2")?.id == "2" && calls.remove(id: "2") == nil)
        #expect(calls.removeAll(session: "a").map(\.id) == ["1", "3"] && calls.isEmpty)
    }

    @Test func waitsEndAtTheirOwnDeadline() {
        var calls = WaitingCalls()
        #expect(calls.nextDeadline == .infinity)
        calls.append(call("1", expires: 30))
        calls.append(call("2", expires: 10))
        calls.append(call("3", expires: 20))
        #expect(calls.nextDeadline == 10 && calls.expire(now: 9).isEmpty)
        #expect(calls.expire(now: 20).map(\.id) == ["2", "3"])
        #expect(calls.nextDeadline == 30 && calls.count == 1)
    }
}
