import Foundation
import Testing
@testable import GatewaySystem

@Suite struct RandomUUIDTests {
    @Test func idsAreVersion4AndDistinct() {
        let ids = (0..<1000).map { _ in RandomUUID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parsed = UUID(uuidString: id)
            #expect(parsed != nil && id == id.lowercased())
            #expect(Array(id)[14] == "4")
            #expect("89ab".contains(Array(id)[19]))
        }
    }
}

@Suite struct SystemClockTests {
    @Test func theMonotonicClockNeverGoesBackAndTheWallClockIsNow() {
        let clock = SystemClock()
        let first = clock.monotonicSeconds()
        let second = clock.monotonicSeconds()
        #expect(second >= first)
        #expect(abs(Double(clock.epochMilliseconds()) - Date().timeIntervalSince1970 * 1000) < 5_000)
    }
}

@Suite struct LockedStateTests {
    @Test func concurrentUpdatesAreAllKept() async {
        let counter = LockedState(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<1000 { counter.withLock { $0 += 1 } } } }
        }
        #expect(counter.withLock { $0 } == 8000)
    }
}
