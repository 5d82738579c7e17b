import FoundationEssentials
import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Collaboration through the engine (was test_collaboration.py): an editor's events reach the clients
/// that subscribed and become MCP resources the host can read and subscribe to; a bad event is refused
/// and changes nothing.
@Suite struct EventsThroughTheEngineTests {
    func resourceURIs(_ driver: EngineDriver) -> Set<String> {
        guard case .array(let resources)? = driver.hostResponse(driver.hostRequest("resources/list"))?["result"]?["resources"] else { return [] }
        return Set(resources.compactMap { $0["uri"]?.stringValue })
    }

    /// The text of the first content of `resources/read`.
    func read(_ driver: EngineDriver, _ uri: String) -> JSONValue? {
        guard case .array(let contents)? = driver.hostResponse(driver.hostRequest("resources/read", ["uri": .string(uri)]))?["result"]?["contents"],
              let text = contents.first?["text"]?.stringValue else { return nil }
        return try? JSONValue.parse(Data(text.utf8))
    }

    @Test func eventsFanOutToSubscribersAndUpdateTheResourcesTheHostSubscribedTo() {
        let driver = EngineDriver.ready()
        let editor = driver.connectAddonEditor()
        let watcher = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", queryParameters: ["type": "mcp"])) ?? ""
        #expect(driver.messages(to: watcher).first?["type"] == "handshake")
        driver.clientSends(watcher, ["type": "identify", "clientType": "mcp"])
        driver.clientSends(watcher, ["type": "subscribe", "events": ["*"]])
        _ = driver.messages(to: watcher)
        let sceneURI = "godot://client/\(editor)/scene"
        #expect(resourceURIs(driver).contains(sceneURI))
        #expect(driver.hostResponse(driver.hostRequest("resources/subscribe", ["uri": .string(sceneURI)]))?["error"] == nil)
        let data: JSONValue = ["scene": "res://level.tscn", "root": "Level"]
        driver.clientSends(editor, ["type": "event", "event": "scene_changed", "data": data])
        let events = driver.messages(to: watcher).filter { $0["type"] == "event" }
        #expect(events.count == 1)
        let event = events.first ?? .null
        #expect(event["clientId"]?.stringValue == editor && event["event"] == "scene_changed" && event["data"] == data)
        #expect(event["timestamp"] != nil && event.objectValue?.count == 5)
        let updated = driver.hostNotifications("notifications/resources/updated").compactMap { $0["params"]?["uri"]?.stringValue }
        #expect(updated == [sceneURI])
        #expect(read(driver, sceneURI)?["scene"] == "res://level.tscn")
        guard case .array(let recent)? = read(driver, "godot://events")?["events"] else { Issue.record("no godot://events"); return }
        #expect(recent.last?["event"] == "scene_changed")
        // A bad event is refused with an error and changes nothing.
        driver.clientSends(editor, ["type": "event", "event": "reformat_disk", "data": [:]])
        let errors = driver.messages(to: editor).filter { $0["type"] == "error" }
        #expect(errors.count == 1 && errors.first?["error"]?.stringValue?.contains("event needs 'event'") == true)
        #expect(driver.messages(to: watcher).isEmpty)
        #expect(driver.hostNotifications("notifications/resources/updated").count == 1)
        guard case .array(let after)? = read(driver, "godot://events")?["events"] else { Issue.record("no godot://events"); return }
        #expect(after == recent)
    }
}
