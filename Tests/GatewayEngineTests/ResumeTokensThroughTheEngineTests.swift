import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Persistent ids through the engine (was test_resume.py and the single-node case of
/// test_reconnecting_calls.py): an editor that declared it resumes and reconnects with the token of its
/// last handshake gets its id back and the command it had not answered again, once; tokens are single-use
/// (4001); the token of a connection still open moves the id and closes the old connection (4003); only a
/// resumable editor that dropped is waited for, and only its grace. Drops are `connectionClosed` without
/// a close frame, as a killed editor's or a network failure's.
@Suite struct ResumeTokensThroughTheEngineTests {
    static let godot = "Godot/4.3.stable.official (Linux)"

    func driver(_ change: (inout GatewaySettings) -> Void = { _ in }) -> EngineDriver {
        .ready(change)
    }

    func resumable(_ driver: EngineDriver, _ identity: [String: JSONValue] = [:]) -> String {
        driver.connectAddonEditor(identity: identity.merging(["resumable": true]) { mine, _ in mine })
    }

    func token(_ driver: EngineDriver, _ editor: String) -> String {
        driver.handshakes[editor]?["resumeToken"]?.stringValue ?? ""
    }

    /// A new connection whose identify presents `token`; returns the id it was opened with. Its own
    /// handshake is taken, so what it reads next is what the resume sent.
    func reconnect(_ driver: EngineDriver, presenting token: String, resumable: Bool = true, _ identity: [String: JSONValue] = [:]) -> String {
        let connection = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: Self.godot)) ?? "refused"
        _ = driver.messages(to: connection)
        var identify: [String: JSONValue] = [
            "type": "identify", "clientType": "godot", "clientVersion": "1.0.1", "godotVersion": "4.3.stable.official",
            "capabilities": EngineDriver.addonCapabilities, "resumeToken": .string(token),
        ]
        if resumable { identify["resumable"] = true }
        for (key, value) in identity { identify[key] = value }
        driver.clientSends(connection, .object(identify))
        return connection
    }

    func listedIds(_ driver: EngineDriver) -> [String] { driver.listedClients.compactMap { $0["clientId"]?.stringValue } }

    @Test func aReconnectingEditorKeepsItsIdAndAnswersWhatWasInFlight() {
        let driver = driver { $0.commandTimeout = 30 }
        let first = resumable(driver)
        let token = token(driver, first)
        let call = driver.callTool("get_node_properties", ["node_path": "/root/A"])
        let sent = driver.commands(to: first)
        #expect(sent.count == 1)
        driver.drop(first)
        let again = reconnect(driver, presenting: token)
        #expect(driver.currentId(ofConnection: again) == first)
        let resumed = driver.messages(to: first)
        let handshake = resumed.first { $0["type"] == "handshake" }
        #expect(handshake?["resumed"] == true && handshake?["clientId"]?.stringValue == first)
        #expect(handshake?["resumeToken"]?.stringValue.map { !$0.isEmpty && $0 != token } == true)
        let resent = resumed.filter { $0["command"] != nil }
        #expect(resent.count == 1 && resent.first?["id"] == sent.first?["id"] && resent.first?["params"] == ["node_path": "/root/A"])
        if let id = resent.first?["id"]?.stringValue, let command = resent.first {
            driver.editorAnswers(first, id, result: EngineDriver.echo(command) ?? .null)
        }
        #expect(driver.toolResult(call)?.isError == false && driver.toolResult(call)?.text.contains("/root/A") == true)
        #expect(listedIds(driver) == [first])
        let stats = driver.connectionStats
        #expect(stats["clientsResumed"] == 1 && stats["commandsResent"] == 1 && stats["pendingCommands"] == 0)
    }

    @Test func aTokenWorksOnceAndItsSecondUseIsClosed4001() {
        let driver = driver()
        let first = resumable(driver)
        let token = token(driver, first)
        driver.drop(first)
        let resumed = reconnect(driver, presenting: token)
        #expect(driver.handshakes[first]?["resumed"] == true && driver.currentId(ofConnection: resumed) == first)
        let replay = reconnect(driver, presenting: token, resumable: false)
        #expect(driver.closeOf(connection: replay)?.code == 4001)
        #expect(driver.closeOf(connection: resumed) == nil)
        #expect(listedIds(driver) == [first])
    }

    @Test func theTokenOfAnOpenConnectionMovesTheIdAndClosesTheOldOne4003() {
        let driver = driver()
        let old = resumable(driver)  // its connection stays open, as a half-open one would
        let newer = reconnect(driver, presenting: token(driver, old), resumable: false)
        #expect(driver.handshakes[old]?["resumed"] == true)
        #expect(driver.closeOf(connection: old)?.code == 4003)
        #expect(driver.currentId(ofConnection: newer) == old && driver.closeOf(connection: newer) == nil)
        let call = driver.callTool("get_scene_tree")
        #expect(driver.echoCommands(old).count == 1)
        #expect(driver.toolJSON(call)?["command"] == "get_scene_tree")
    }

    @Test func anUnknownTokenMakesANewClientThatIsTold() {
        let driver = driver()
        let editor = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: Self.godot)) ?? ""
        _ = driver.messages(to: editor)
        driver.clientSends(editor, [
            "type": "identify", "clientType": "godot", "capabilities": EngineDriver.addonCapabilities,
            "resumeToken": .string(String(repeating: "0", count: 64)),
        ])
        let told = driver.messages(to: editor)
        #expect(told.contains { $0["type"] == "resume_rejected" && $0["clientId"]?.stringValue == editor })
        let call = driver.callTool("get_scene_tree")
        #expect(driver.echoCommands(editor).count == 1)
        #expect(driver.toolJSON(call)?["command"] == "get_scene_tree")
    }

    @Test func aCallForAnEditorThatDroppedWaitsForItToComeBack() {
        let driver = driver { $0.commandTimeout = 10 }
        let first = resumable(driver)
        let token = token(driver, first)
        driver.drop(first)
        #expect(driver.listedClients.isEmpty)
        let call = driver.callTool("get_scene_tree", ["client": .string(first)])
        driver.advance(by: 0.2)
        #expect(driver.toolResult(call) == nil)  // waiting; nothing can answer it yet
        _ = reconnect(driver, presenting: token)
        #expect(driver.echoCommands(first).count == 1)
        #expect(driver.toolResult(call)?.isError == false && driver.toolResult(call)?.text.contains("get_scene_tree") == true)
    }

    @Test func theOriginalAddonDroppedMidCallFailsTheCallAtOnce() {
        // It never declares that it resumes (nor presents a token): nothing can come back to answer.
        let driver = driver { $0.commandTimeout = 30 }
        let editor = driver.connectAddonEditor()
        let call = driver.callTool("get_scene_tree")
        #expect(driver.commands(to: editor).count == 1)
        driver.drop(editor)
        // Answered by the drop itself: not the 30 s command timeout, nor the 5 s grace.
        #expect(driver.toolResult(call)?.isError == true && driver.toolResult(call)?.text.contains("disconnected before it answered") == true)
        #expect(driver.connectionStats["editorsAwaitingReconnect"] == 0)
    }

    @Test func anEditorThatClosesOnPurposeEndsItsCallsAtOnceAndIsNotKept() {
        let driver = driver { $0.commandTimeout = 30 }
        for code: UInt16 in [1000, 1001] {
            let editor = resumable(driver)
            let call = driver.callTool("get_scene_tree", ["client": .string(editor)])
            #expect(driver.commands(to: editor).count == 1)
            driver.clientCloses(editor, code: code)
            #expect(driver.toolResult(call)?.text.contains("disconnected before it answered") == true)
            #expect(driver.connectionStats["editorsAwaitingReconnect"] == 0)
        }
    }

    @Test func aDroppedEditorsCallsWaitOnlyTheGraceAndItsIdStaysReserved() {
        let driver = driver {
            $0.commandTimeout = 30
            $0.resumeGrace = 1
        }
        let first = resumable(driver)
        let token = token(driver, first)
        let call = driver.callTool("get_scene_tree", ["client": .string(first)])
        #expect(driver.commands(to: first).count == 1)
        driver.drop(first)
        driver.advance(by: 0.9)
        #expect(driver.toolResult(call) == nil)
        driver.advance(by: 0.2)  // the grace (1 s), not the command timeout (30 s)
        #expect(driver.toolResult(call)?.isError == true && driver.toolResult(call)?.text.contains("disconnected before it answered") == true)
        // After the grace a call naming it fails at once; the id is still its own for a resume.
        let late = driver.callTool("get_scene_tree", ["client": .string(first)])
        #expect(driver.toolResult(late)?.isError == true && driver.toolResult(late)?.text.contains("did not reconnect within 1 s") == true)
        #expect(driver.connectionStats["editorsAwaitingReconnect"] == 1)
        let back = reconnect(driver, presenting: token)
        #expect(driver.currentId(ofConnection: back) == first && driver.handshakes[first]?["resumed"] == true)
        #expect(driver.commands(to: first).isEmpty)  // the failed call is not sent again
    }

    /// test_reconnecting_calls.py's single-node case: a call naming a reconnecting editor by project name
    /// (exactly, or by a prefix in other letter case) waits for it like a call by id.
    @Test func aCallByProjectNameWaitsForTheEditorToResume() {
        let driver = driver { $0.commandTimeout = 30 }
        let dungeon: [String: JSONValue] = ["projectName": "Dungeon", "projectPath": "/projects/dungeon/"]
        let first = resumable(driver, dungeon)
        let token = token(driver, first)
        driver.drop(first)
        #expect(driver.listedClients.isEmpty)
        let calls = ["Dungeon", "dung"].map { driver.callTool("get_scene_tree", ["client": .string($0)]) }
        #expect(driver.connectionStats["queuedCommands"] == 2)
        #expect(calls.allSatisfy { driver.toolResult($0) == nil })
        let again = reconnect(driver, presenting: token, dungeon)
        #expect(driver.currentId(ofConnection: again) == first)
        #expect(driver.echoCommands(first).count == 2)
        for call in calls {
            #expect(driver.toolResult(call)?.isError == false && driver.toolJSON(call)?["command"] == "get_scene_tree")
        }
    }
}
