import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Editors' capabilities become tools, through the engine (was test_capabilities.py): the tool list is the
/// gateway's own tools plus the union of the connected editors' commands, the host is told when it
/// changes, calls go only to editors that offer the tool, and an editor that declares nothing offers the
/// original eleven.
@Suite struct CapabilitiesThroughTheEngineTests {
    static let bake: JSONValue = [
        "name": "bake_lightmaps", "description": "A project's own command: bake the lightmaps of a scene.",
        "inputSchema": [
            "type": "object", "properties": ["scene": ["type": "string"]], "required": ["scene"], "additionalProperties": false,
        ],
        "readOnly": false, "destructive": true,
    ]

    /// Changes of the editors' commands within this time are announced once (`GatewayCore.toolsChangeDebounce`).
    static let toolsChangeDebounce = 0.25

    func driver() -> EngineDriver {
        .ready()
    }

    func editor(_ driver: EngineDriver, declaring commands: [JSONValue]) -> String {
        driver.connectEditor(identity: ["capabilities": ["commands": .array(commands)]], commands: nil)
    }

    /// The host's `tools/list`, by name.
    func tools(_ driver: EngineDriver) -> [String: JSONValue] {
        guard case .array(let tools)? = driver.hostResponse(driver.hostRequest("tools/list"))?["result"]?["tools"] else { return [:] }
        return Dictionary(tools.compactMap { tool in tool["name"]?.stringValue.map { ($0, tool) } }) { first, _ in first }
    }

    func listChanges(_ driver: EngineDriver) -> Int { driver.hostNotifications("notifications/tools/list_changed").count }

    @Test func aProjectToolAppearsAndDisappearsWithItsEditorAndTheHostIsTold() {
        let driver = driver()
        let before = tools(driver)
        #expect(before["bake_lightmaps"] == nil && before["get_scene_tree"] != nil)  // no editor: the built-in catalog
        let editor = editor(driver, declaring: [Self.bake])
        driver.advance(by: Self.toolsChangeDebounce)
        #expect(listChanges(driver) == 1)
        let listed = tools(driver)
        #expect(Set(listed.keys) == [
            "bake_lightmaps", "list_clients", "get_connection_stats", "select_client", "lock_scene", "unlock_scene", "list_toolsets",
            "enable_toolset", "disable_toolset",
        ])
        let bake = listed["bake_lightmaps"] ?? .null
        #expect(bake["annotations"]?["destructiveHint"] == true && bake["annotations"]?["readOnlyHint"] == false)
        #expect(bake["inputSchema"]?["properties"]?["client"] != nil && bake["inputSchema"]?["required"] == ["scene"])
        let call = driver.callTool("bake_lightmaps", ["scene": "res://level.tscn"])
        #expect(driver.echoCommands(editor).count == 1)
        #expect(driver.toolResult(call)?.isError == false && driver.toolResult(call)?.text.contains("res://level.tscn") == true)
        // Validated against the editor's own schema before it is forwarded.
        let invalid = driver.callTool("bake_lightmaps")
        #expect(driver.toolResult(invalid)?.isError == true && driver.toolResult(invalid)?.text.contains("scene") == true)
        #expect(driver.commands(to: editor).isEmpty)
        // A built-in tool this editor does not declare: a clear error naming the editors.
        let undeclared = driver.callTool("get_scene_tree", ["wait_seconds": 0])
        #expect(driver.toolResult(undeclared)?.isError == true)
        #expect(driver.toolResult(undeclared)?.text.contains("No connected Godot editor offers the tool 'get_scene_tree'") == true)
        driver.clientCloses(editor, code: 1000)
        driver.advance(by: Self.toolsChangeDebounce)
        #expect(listChanges(driver) == 2)
        #expect(tools(driver)["bake_lightmaps"] == nil)
    }

    @Test func anEditorWithoutCapabilitiesOffersTheOriginalElevenAndCallsGoToOneThatOffers() {
        let driver = driver()
        let original = driver.connectEditor(commands: nil)
        let project = editor(driver, declaring: [Self.bake])
        driver.advance(by: Self.toolsChangeDebounce)
        let names = Set(tools(driver).keys)
        #expect(names.isSuperset(of: ["get_scene_tree", "create_node", "save_scene", "bake_lightmaps"]))
        #expect(!names.contains("delete_node"))  // not one of the original eleven, declared by nobody
        var sent = (original: 0, project: 0)
        for _ in 0..<3 {
            let bake = driver.callTool("bake_lightmaps", ["scene": "s"])
            let tree = driver.callTool("get_scene_tree")
            sent.original += driver.echoCommands(original).count
            sent.project += driver.echoCommands(project).count
            #expect(driver.toolResult(bake)?.isError == false && driver.toolResult(tree)?.isError == false)
        }
        #expect(sent.original == 3 && sent.project == 3)
        let misdirected = driver.callTool("bake_lightmaps", ["scene": "s", "client": .string(original)])
        #expect(driver.toolResult(misdirected)?.isError == true)
        #expect(driver.toolResult(misdirected)?.text.contains("does not offer the tool 'bake_lightmaps'") == true)
        #expect(driver.commands(to: original).isEmpty)
    }

    @Test func anImageResultReachesTheHostAsImageContent() {
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAACAAFUok9dAAAAAElFTkSuQmCC"
        let screenshot: JSONValue = [
            "name": "get_editor_screenshot", "description": "A PNG of a viewport.", "readOnly": true, "returnsImage": true,
            "inputSchema": ["type": "object", "properties": [:], "additionalProperties": false],
        ]
        let driver = driver()
        let editor = editor(driver, declaring: [screenshot])
        let call = driver.callTool("get_editor_screenshot")
        driver.echoCommands(editor) { _ in
            ["image_data": .string(png), "image_mime_type": "image/png", "width": 1, "height": 1]
        }
        let result = driver.hostResponse(call)?["result"]
        guard case .array(let content)? = result?["content"], content.count == 2 else {
            Issue.record("not an image and a text: \(String(describing: result))"); return
        }
        #expect(result?["isError"] == false)
        #expect(content[0]["type"] == "image" && content[0]["mimeType"] == "image/png" && content[0]["data"]?.stringValue == png)
        let text = content[1]["text"]?.stringValue ?? ""
        #expect(content[1]["type"] == "text" && text.contains(#""width":1"#) && !text.contains("image_data"))
    }
}
