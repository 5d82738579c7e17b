import Testing
@testable import GatewayCore

/// The commands-in-flight table on its own: ids, matching answers to the editor asked, expiry.
@Suite struct CommandsInFlightTests {
    private func command(_ id: String, to clientId: String = "editor", deadline: Double = 10) -> PendingCommand {
        PendingCommand(
            id: id, name: "get_scene_tree", parameters: CommandParameters([:]), clientId: clientId, started: 0, deadline: deadline, replyTo: .call(session: "", key: .number(1)),
            wantsProgress: false)
    }

    @Test func idsArePrefixAndCounterAndKeyedByTheCounter() {
        var table = CommandsInFlight(randomID: "0123abcd-4567-89ef-0123-456789abcdef")
        #expect(table.prefix == "0123abcd456789ef-")
        let first = table.makeID()
        let second = table.makeID()
        #expect(first == "0123abcd456789ef-1" && second == "0123abcd456789ef-2")
        #expect(table.key(of: second) == 2)
        // The largest counter below the foreign keys' bit is one; the bit itself is not.
        #expect(table.key(of: "0123abcd456789ef-0") == 0 && table.key(of: "0123abcd456789ef-9223372036854775807") == 9_223_372_036_854_775_807)
        #expect(table.key(of: "0123abcd456789ef-9223372036854775808") == nil)
        // A bare counter, a second spelling of one, or anything after it is not one of ours.
        for forged in ["2", "0123abcd456789ef-02", "0123abcd456789ef-2 ", "0123abcd456789ef-", "0123abcd456789ef-+2",
                       "0123abcd456789ef-99999999999999999999", "ffffabcd456789ef-2", ""] {
            #expect(table.key(of: forged) == nil, "\(forged)")
        }
    }

    @Test func madeIdsAreWrittenAsTheCounterAndAnyOfThemGetsItsKey() {
        var table = CommandsInFlight(randomID: "p")
        let ids = (0..<101).map { _ in table.makeID() }
        #expect(ids[0] == "p-1" && ids[8] == "p-9" && ids[9] == "p-10" && ids[99] == "p-100" && ids[100] == "p-101")
        // The last id made takes its key from makeID; an older one, or the same text made apart, is parsed.
        #expect(table.insert(command(ids[100])) == 101)
        #expect(table.insert(command(ids[9])) == 10)
        #expect(table.insert(command("p-" + String(101))) == 101 && table.count == 2)
        #expect(table.insert(command("p-010")) & CommandsInFlight.foreignBit != 0)
    }

    @Test func anAnswerMatchesOnlyFromTheEditorItWasSentTo() {
        var table = CommandsInFlight(randomID: "p")
        let id = table.makeID()
        let key = table.insert(command(id, to: "alice"))
        #expect(table.command(id, sentTo: "alice")?.key == key)
        #expect(table.command(id, sentTo: "bob") == nil)
        #expect(table.key(of: id, sentTo: "alice") == key && table.key(of: id, sentTo: "bob") == nil)
        #expect(table.remove(key)?.id == id)
        #expect(table.command(id, sentTo: "alice") == nil && table.isEmpty)
    }

    @Test func anotherNodesIdsKeepTheirIdAndGetAKeyApart() {
        var table = CommandsInFlight(randomID: "here")
        let own = table.makeID()
        let ownKey = table.insert(command(own))
        let foreignKey = table.insert(command("there-1"))
        #expect(foreignKey != ownKey && foreignKey & CommandsInFlight.foreignBit != 0)
        #expect(table.command("there-1", sentTo: "editor")?.id == "there-1")
        // The foreign key spelled as one of ours names nothing.
        #expect(table.key(of: table.prefix + String(foreignKey)) == nil)
        #expect(table.remove(foreignKey)?.id == "there-1")
        #expect(table.key(of: "there-1") == nil)
    }

    @Test func expiryTakesTheDueOnesInOrderAndTheDeadlineFollows() {
        var table = CommandsInFlight(randomID: "p")
        #expect(table.nextDeadline == .infinity)
        for deadline in [30.0, 10, 20] { table.insert(command(table.makeID(), deadline: deadline)) }
        #expect(table.nextDeadline == 10)
        #expect(table.expire(now: 5).isEmpty)
        #expect(table.expire(now: 25).map(\.id) == ["p-2", "p-3"])
        #expect(table.nextDeadline == 30 && table.count == 1)
    }

    @Test func cancelledIdsAreRememberedBoundedAndByEditor() {
        var table = CommandsInFlight(randomID: "p")
        let id = table.makeID()
        let key = table.insert(command(id, to: "alice"))
        #expect(table.cancel(key)?.id == id)
        #expect(table.wasCancelled(id) && table.isEmpty)
        for _ in 0...CommandsInFlight.cancelledKept {
            let next = table.insert(command(table.makeID()))
            _ = table.cancel(next)
        }
        #expect(!table.wasCancelled(id))
        table.insert(command(table.makeID(), to: "alice"))
        table.insert(command(table.makeID(), to: "bob"))
        #expect(table.removeAll(sentTo: "alice").count == 1 && table.count == 1)
        #expect(table.removeAll().count == 1 && table.isEmpty)
    }
}
