import XCTest
@testable import GatewaySetup

final class JSONConfigEditorTests: XCTestCase {
    private let strict = JSONHostFormat(serversKey: "mcpServers", writesStdioType: false, allowsComments: false)
    private let entry: SetupJSON = .object([("command", .string("/bin/gw")), ("args", .array([]))])

    func testAnExistingEntryKeepsTheKeysAPersonAddedAndItsOrder() throws {
        let text = """
            {"mcpServers": {"godot": {"env": {"GODOT_MCP_LOG_LEVEL": "debug"}, "command": "/old/gw", "disabled": false}}}
            """
        let updated = try JSONConfigEditor.upsert(entry, named: "godot", into: text, format: strict)
        XCTAssertEqual(updated, """
            {"mcpServers": {"godot": {"env": {"GODOT_MCP_LOG_LEVEL": "debug"}, "command": "/bin/gw", "disabled": false, "args": []}}}
            """)
    }

    func testAnEntryWrittenDifferentlyButEqualIsLeftAlone() throws {
        let text = "{\n  \"mcpServers\": {\n    \"godot\": {\n      \"args\": [\n      ],\n      \"command\": \"\\/bin\\/gw\"\n    }\n  }\n}\n"
        XCTAssertEqual(try JSONConfigEditor.upsert(entry, named: "godot", into: text, format: strict), text)
    }

    func testEmptyObjectsAndMissingServerListsGetIndentedMembers() throws {
        XCTAssertEqual(try JSONConfigEditor.upsert(entry, named: "godot", into: "{}", format: strict),
                       "{\n  \"mcpServers\": {\n    \"godot\": {\n      \"command\": \"/bin/gw\",\n      \"args\": []\n    }\n  }\n}")
        let tabbed = "{\n\t\"theme\": \"x\",\n\t\"mcpServers\": { }\n}\n"
        XCTAssertEqual(try JSONConfigEditor.upsert(entry, named: "godot", into: tabbed, format: strict),
                       "{\n\t\"theme\": \"x\",\n\t\"mcpServers\": {\n\t\t\"godot\": {\n\t\t\t\"command\": \"/bin/gw\",\n\t\t\t\"args\": []\n\t\t}\n\t}\n}\n")
    }

    func testWindowsLineEndingsStay() throws {
        let text = "{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"x\"}\r\n  }\r\n}\r\n"
        let updated = try JSONConfigEditor.upsert(entry, named: "godot", into: text, format: strict)
        XCTAssertFalse(updated.replacingOccurrences(of: "\r\n", with: "").contains("\n"), updated)
        XCTAssertEqual(try JSONConfigEditor.remove(named: "godot", from: updated, format: strict), text)
    }

    func testRemovingTheFirstOrOnlyServer() throws {
        let two = "{\"mcpServers\": {\"godot\": {\"command\": \"/bin/gw\"}, \"b\": {}}}"
        XCTAssertEqual(try JSONConfigEditor.remove(named: "godot", from: two, format: strict), "{\"mcpServers\": {\"b\": {}}}")
        let one = "{\"mcpServers\": {\n  \"godot\": {\"command\": \"/bin/gw\"}\n}}"
        XCTAssertEqual(try JSONConfigEditor.remove(named: "godot", from: one, format: strict), "{\"mcpServers\": {}}")
    }

    func testShapesItWillNotGuessAbout() {
        XCTAssertThrowsError(try JSONConfigEditor.upsert(entry, named: "godot", into: "[]", format: strict))
        XCTAssertThrowsError(try JSONConfigEditor.upsert(entry, named: "godot", into: "{\"mcpServers\": []}", format: strict))
        XCTAssertThrowsError(try JSONConfigEditor.upsert(entry, named: "godot", into: "{\"mcpServers\": {}} x", format: strict))
        XCTAssertThrowsError(try JSONConfigEditor.upsert(entry, named: "godot", into: "{\"a\": \"\\q\"}", format: strict))
    }

    func testTheParserReportsWhere() {
        XCTAssertThrowsError(try JSONSpanParser.parse(Array("{\n  \"a\": tru\n}".utf8), allowsComments: false)) { error in
            XCTAssertEqual((error as? JSONSpanParser.Failure)?.line, 2)
        }
    }
}
