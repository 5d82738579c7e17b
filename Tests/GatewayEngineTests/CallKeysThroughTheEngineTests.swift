import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Calls in progress are found by their JSON-RPC id (`CallKey`): an integer id as a number, a string id
/// as its text. Through the engine, for the host on stdio and a relayed host: ids of both kinds with the
/// same digits are different calls, for answers, cancellation and progress alike.
@Suite struct CallKeysThroughTheEngineTests {
    let driver = EngineDriver.ready()
    let editor: String

    init() {
        editor = driver.connectEditor(commands: ["get_scene_tree", "create_node"])
        _ = driver.messages(to: editor)
    }

    private func call(_ id: JSONValue, _ tool: String, progressToken: JSONValue? = nil) {
        var params: JSONValue = ["name": .string(tool), "arguments": [:]]
        if let progressToken { params = ["name": .string(tool), "arguments": [:], "_meta": ["progressToken": progressToken]] }
        driver.hostSends(["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params])
    }

    /// The host's answers to request `id`, whatever its kind.
    private func answers(_ id: JSONValue) -> [JSONValue] {
        driver.hostOutput.filter { $0["id"] == id && $0["method"] == nil }
    }

    private func text(_ answer: JSONValue?) -> String? {
        guard case .array(let content)? = answer?["result"]?["content"] else { return nil }
        return content.first?["text"]?.stringValue
    }

    @Test func anIntegerIdAndAStringIdOfTheSameDigitsAreTwoCalls() throws {
        // (Ids the driver's own requests, counting from 1, do not reach.)
        call(41, "get_scene_tree")
        call("41", "create_node")
        let commands = driver.commands(to: editor)
        try #require(commands.count == 2)
        // Answered in the other order: each answer still goes to its own id.
        for command in commands.reversed() {
            driver.editorAnswers(editor, command["id"]?.stringValue ?? "", result: ["ran": command["command"] ?? .null])
        }
        #expect(answers(41).count == 1 && text(answers(41).first)?.contains("get_scene_tree") == true)
        #expect(answers("41").count == 1 && text(answers("41").first)?.contains("create_node") == true)
        #expect(driver.engine.hostCallsInProgress == 0)
    }

    @Test func aCancellationFindsTheCallOfItsOwnKindOfId() throws {
        call(47, "get_scene_tree")
        call("47", "create_node")
        let commands = driver.commands(to: editor)
        try #require(commands.count == 2)
        let byTool = Dictionary(uniqueKeysWithValues: commands.map { ($0["command"]?.stringValue ?? "", $0["id"]?.stringValue ?? "") })
        driver.hostSends(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": "47"]])
        let cancelled = driver.messages(to: editor).filter { $0["type"] == "cancel" }
        #expect(cancelled.map { $0["id"]?.stringValue } == [byTool["create_node"]])
        driver.hostSends(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 47]])
        #expect(driver.messages(to: editor).filter { $0["type"] == "cancel" }.map { $0["id"]?.stringValue } == [byTool["get_scene_tree"]])
        // Cancelled calls are not answered, even when their editor answers after all.
        for command in commands { driver.editorAnswers(editor, command["id"]?.stringValue ?? "") }
        #expect(answers(47).isEmpty && answers("47").isEmpty)
        #expect(driver.engine.hostCallsInProgress == 0)
    }

    @Test func progressGoesToTheCallWhoseIdItIs() throws {
        call(43, "get_scene_tree", progressToken: "int-call")
        call("43", "create_node", progressToken: "string-call")
        let commands = driver.commands(to: editor)
        try #require(commands.count == 2)
        for command in commands {
            let id = command["id"]?.stringValue ?? ""
            driver.clientSends(editor, ["type": "progress", "id": .string(id), "progress": 1, "total": 2])
            driver.editorAnswers(editor, id)
        }
        let tokens = driver.hostNotifications("notifications/progress").compactMap { $0["params"]?["progressToken"]?.stringValue }
        #expect(Set(tokens) == ["int-call", "string-call"])
        #expect(answers(43).count == 1 && answers("43").count == 1)
    }

    /// A `_meta` the scan leaves to the parser (here an escaped name) is read the full way: its progress
    /// token still counts, as does the plain one of the call beside it.
    @Test func aProgressTokenUnderAnEscapedNameStillCounts() throws {
        let lines = #"{"jsonrpc":"2.0","id":44,"method":"tools/call","params":{"name":"get_scene_tree","arguments":{},"_meta":{"progress\u0054oken":"escaped"}}}"#
            + "\n" + #"{"jsonrpc":"2.0","id":"44","method":"tools/call","params":{"name":"create_node","_meta":{"x":1,"progressToken":"plain"}}}"#
        driver.feed(.hostBytes(Array((lines + "\n").utf8)))
        let commands = driver.commands(to: editor)
        try #require(commands.count == 2)
        for command in commands {
            let id = command["id"]?.stringValue ?? ""
            driver.clientSends(editor, ["type": "progress", "id": .string(id), "progress": 1])
            driver.editorAnswers(editor, id)
        }
        let tokens = driver.hostNotifications("notifications/progress").compactMap { $0["params"]?["progressToken"]?.stringValue }
        #expect(Set(tokens) == ["escaped", "plain"])
        #expect(answers(44).count == 1 && answers("44").count == 1)
    }

    /// A second call with the id of one in progress is refused at once (-32600); the first goes on and its
    /// result, not the second's, answers the id.
    @Test func aDuplicateIdIsRefusedAndTheFirstCallKeepsIt() throws {
        call(45, "get_scene_tree")
        call(45, "create_node")
        let refusals = answers(45)
        try #require(refusals.count == 1)
        #expect(refusals.first?["error"]?["code"] == -32600)
        let commands = driver.commands(to: editor)
        try #require(commands.count == 1)
        #expect(commands.first?["command"] == "get_scene_tree")
        driver.editorAnswers(editor, commands.first?["id"]?.stringValue ?? "", result: ["ran": "get_scene_tree"])
        let results = answers(45).filter { $0["result"] != nil }
        #expect(results.count == 1 && text(results.first)?.contains("get_scene_tree") == true)
        #expect(driver.engine.hostCallsInProgress == 0)
        // Once answered, the id is free again.
        call(45, "create_node")
        #expect(driver.commands(to: editor).first?["command"] == "create_node")
    }

    /// Ids are compared by their bytes: NFC "é" and NFD "e" + U+0301 are equal Swift Strings but two ids.
    @Test func canonicallyEquivalentStringIdsAreTwoCalls() throws {
        call("\u{e9}", "get_scene_tree")
        call("e\u{301}", "create_node")
        let commands = driver.commands(to: editor)
        try #require(commands.count == 2)
        for command in commands.reversed() {
            driver.editorAnswers(editor, command["id"]?.stringValue ?? "", result: ["ran": command["command"] ?? .null])
        }
        let results = driver.hostOutput.filter { $0["method"] == nil && $0["result"] != nil }
        let composed = results.filter { $0["id"]?.stringValue?.unicodeScalars.elementsEqual("\u{e9}".unicodeScalars) == true }
        let decomposed = results.filter { $0["id"]?.stringValue?.unicodeScalars.elementsEqual("e\u{301}".unicodeScalars) == true }
        #expect(composed.count == 1 && text(composed.first)?.contains("get_scene_tree") == true)
        #expect(decomposed.count == 1 && text(decomposed.first)?.contains("create_node") == true)
        #expect(driver.engine.hostCallsInProgress == 0)
    }

    /// An id with a fraction, an exponent or past 64 bits would be answered rounded (71.0 as 71, two huge
    /// integers as one double): refused, with nothing sent to the editor.
    @Test func numericIdsThatWouldBeRewrittenAreRefused() throws {
        for id in ["71.0", "7.1e1", "9223372036854775808", "9223372036854775809"] {
            let line = #"{"jsonrpc":"2.0","id":"# + id + #","method":"tools/call","params":{"name":"get_scene_tree","arguments":{}}}"#
            driver.feed(.hostBytes(Array((line + "\n").utf8)))
        }
        let refusals = driver.hostOutput.filter { $0["error"]?["code"] == -32600 }
        #expect(refusals.count == 4)
        #expect(refusals.allSatisfy { $0["id"] == .null })
        #expect(driver.commands(to: editor).isEmpty)
        // The integer beside them is still a call.
        call(71, "get_scene_tree")
        #expect(driver.commands(to: editor).count == 1)
    }

    @Test func aRelayedHostsCallsAreKeptApartFromTheHostsAndByKindOfId() throws {
        let relayId = try #require(driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"])))
        _ = driver.messages(to: relayId)
        func relayedCall(_ id: JSONValue, _ tool: String) {
            let request: JSONValue = ["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": .string(tool), "arguments": [:]]]
            driver.clientSends(relayId, ["type": "mcp", "message": request])
        }
        call(41, "get_scene_tree")
        relayedCall(1, "create_node")
        relayedCall("1", "get_scene_tree")
        relayedCall(2, "create_node")
        let commands = driver.commands(to: editor)
        try #require(commands.count == 4)
        driver.clientSends(relayId, ["type": "mcp", "message": ["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 2]]])
        for (index, command) in commands.enumerated().reversed() {
            driver.editorAnswers(editor, command["id"]?.stringValue ?? "", result: ["call": .int(Int64(index))])
        }
        let relayed = driver.messages(to: relayId).compactMap { $0["type"] == "mcp" ? $0["message"] : nil }.filter { $0["method"] == nil }
        #expect(relayed.filter { $0["id"] == 1 }.map { text($0)?.contains(#""call":1"#) } == [true])
        #expect(relayed.filter { $0["id"] == "1" }.map { text($0)?.contains(#""call":2"#) } == [true])
        #expect(relayed.filter { $0["id"] == 2 }.isEmpty, "cancelled")
        #expect(answers(41).count == 1 && text(answers(41).first)?.contains(#""call":0"#) == true)
    }
}
