import Testing
@testable import GatewayCore

/// The recent-events ring and the dashboard's snapshot schedule on their own.
@Suite struct EventsAndSnapshotsTests {
    private func event(_ number: Int) -> EditorEvent {
        EditorEvent(clientId: "editor", name: "scene_changed", data: ["n": .int(Int64(number))], timestampMs: Int64(number))
    }

    @Test func theRingKeepsTheNewestInOrder() {
        var events = RecentEvents(capacity: 3)
        #expect(events.all.isEmpty && events.last(5).isEmpty)
        for number in 1...2 { events.append(event(number)) }
        #expect(events.all.map(\.timestampMs) == [1, 2] && events.last(1).map(\.timestampMs) == [2])
        for number in 3...7 { events.append(event(number)) }
        #expect(events.count == 3)
        #expect(events.all.map(\.timestampMs) == [5, 6, 7])
        #expect(events.last(2).map(\.timestampMs) == [6, 7] && events.last(0).isEmpty)
        events.append(event(8))
        #expect(events.all.map(\.timestampMs) == [6, 7, 8])
    }

    @Test func snapshotsAreDueEveryIntervalAndAtOnceAfterASubscription() {
        var schedule = SnapshotSchedule()
        let first = schedule.expire(now: 10)
        #expect(first && schedule.nextDeadline == 10 + SnapshotSchedule.interval)
        let tooSoon = schedule.expire(now: 10.5)
        #expect(!tooSoon)
        schedule.sendSoon()
        #expect(schedule.nextDeadline == 0)
        let afterSubscribing = schedule.expire(now: 10.6)
        #expect(afterSubscribing)
        let firstRate = schedule.rate(now: 10, sent: 5)
        let secondRate = schedule.rate(now: 12, sent: 25)
        #expect(firstRate == 0 && secondRate == 10)
    }
}
