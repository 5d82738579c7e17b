import Testing
@testable import GatewayCore

/// The per-editor queues on their own: order, cancellation by id, expiry of waits for dropped editors.
@Suite struct EditorQueuesTests {
    private func queued(_ id: String, expires: Double? = nil) -> QueuedCommand {
        QueuedCommand(id: id, request: CommandRequest(name: "get_scene_tree", params: [:]), expires: expires)
    }

    @Test func eachEditorsQueueIsFirstInFirstOut() {
        var queues = EditorQueues()
        #expect(!queues.hasQueue(for: "a") && queues.popFirst(for: "a") == nil)
        queues.append(queued("1"), for: "a")
        queues.append(queued("2"), for: "b")
        queues.append(queued("3"), for: "a")
        #expect(queues.count == 3 && queues.editors == ["a", "b"])
        #expect(queues.popFirst(for: "a")?.id == "1")
        #expect(queues.popFirst(for: "a")?.id == "3")
        // Emptied, the editor has no queue left (routing reads "has a queue" as "is behind").
        #expect(!queues.hasQueue(for: "a") && queues.count == 1)
    }

    @Test func aCommandIsFoundByItsIdAndTakenOutOfTheMiddle() {
        var queues = EditorQueues()
        for id in ["1", "2", "3"] { queues.append(queued(id), for: "a") }
        #expect(queues.remove("2")?.clientId == "a")
        #expect(queues.remove("2") == nil)
        #expect(queues.removeAll(for: "a").map(\.id) == ["1", "3"])
        #expect(queues.isEmpty && queues.remove("1") == nil)
    }

    @Test func waitsForDroppedEditorsExpireAndTheDeadlineFollows() {
        var queues = EditorQueues()
        #expect(queues.nextDeadline == .infinity)
        queues.append(queued("1"), for: "b")
        queues.append(queued("2", expires: 20), for: "b")
        queues.append(queued("3", expires: 10), for: "a")
        #expect(queues.nextDeadline == 10)
        #expect(queues.expire(now: 5).isEmpty)
        let expired = queues.expire(now: 20)
        #expect(expired.map(\.clientId) == ["a", "b"] && expired.map(\.command.id) == ["3", "2"])
        // What never expires stays, in order.
        #expect(queues.nextDeadline == .infinity && queues.popFirst(for: "b")?.id == "1")
    }
}
