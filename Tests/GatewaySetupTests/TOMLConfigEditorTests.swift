import XCTest
@testable import GatewaySetup

final class TOMLConfigEditorTests: XCTestCase {
    func testAnExistingTableKeepsItsOtherKeysSubTablesAndComments() throws {
        let text = """
            [mcp_servers.godot] # ours
            # started by Codex
            command = "/old/gw"
            startup_timeout_sec = 20
            args = [
              "--port", # the usual one
              "8765",
            ]

            [mcp_servers.godot.env]
            GODOT_MCP_LOG_LEVEL = "debug"

            """
        let entry = try ServerEntry(name: "godot", command: "/bin/gw", arguments: [])
        let updated = try TOMLConfigEditor.upsert(entry, into: text)
        XCTAssertEqual(updated, """
            [mcp_servers.godot] # ours
            # started by Codex
            command = "/bin/gw"
            startup_timeout_sec = 20
            args = []

            [mcp_servers.godot.env]
            GODOT_MCP_LOG_LEVEL = "debug"

            """)
        XCTAssertEqual(try TOMLConfigEditor.upsert(entry, into: updated), updated)
        let removed = try TOMLConfigEditor.remove(named: "godot", from: updated)
        XCTAssertEqual(removed, "")
    }

    func testRemovalKeepsTheCommentOfTheNextTable() throws {
        let text = "a = 1\n\n[mcp_servers.godot]\ncommand = \"/bin/gw\"\n\n# fast profile\n[profiles.fast]\nmodel = \"m\"\n"
        XCTAssertEqual(try TOMLConfigEditor.remove(named: "godot", from: text), "a = 1\n\n# fast profile\n[profiles.fast]\nmodel = \"m\"\n")
    }

    func testQuotedHeadersAndStringsThatLookLikeHeaders() throws {
        let text = "note = \"\"\"\n[mcp_servers.godot]\n\"\"\"\n[ mcp_servers . \"godot\" ]\ncommand = 'C:\\gw.exe'\n"
        XCTAssertEqual(try TOMLConfigEditor.configuredCommand(named: "godot", in: text), .some("C:\\gw.exe"))
        let entry = try ServerEntry(name: "godot", command: "C:\\Tools\\gw \"x\".exe", arguments: ["--port", "1"])
        let updated = try TOMLConfigEditor.upsert(entry, into: text)
        XCTAssertTrue(updated.hasPrefix("note = \"\"\"\n[mcp_servers.godot]\n\"\"\"\n[ mcp_servers . \"godot\" ]\n"), updated)
        XCTAssertTrue(updated.contains("command = \"C:\\\\Tools\\\\gw \\\"x\\\".exe\"\n"), updated)
        XCTAssertEqual(try TOMLConfigEditor.configuredCommand(named: "godot", in: updated), .some("C:\\Tools\\gw \"x\".exe"))
    }

    func testAFileWithoutATrailingNewlineGetsOneBeforeTheTable() throws {
        let entry = try ServerEntry(name: "godot", command: "/bin/gw", arguments: [])
        XCTAssertEqual(try TOMLConfigEditor.upsert(entry, into: "model = \"m\""),
                       "model = \"m\"\n\n[mcp_servers.godot]\ncommand = \"/bin/gw\"\nargs = []\n")
    }

    func testFormsItDoesNotEditAreRefused() throws {
        let entry = try ServerEntry(name: "godot", command: "/bin/gw", arguments: [])
        for text in ["[mcp_servers]\ngodot = { command = \"x\" }\n", "mcp_servers.godot.command = \"x\"\n",
                     "[mcp_servers.godot]\n[mcp_servers.godot]\n",
                     "mcp_servers = { other = { command = \"x\" } }\n"] {
            XCTAssertThrowsError(try TOMLConfigEditor.upsert(entry, into: text), text)
        }
        for text in ["[a\n", "a = [1,\n", "just words\n", "a = \"open\n", "a =\n"] {
            XCTAssertThrowsError(try TOMLConfigEditor.upsert(entry, into: text), text) { error in
                guard case .unparsable = error as? ConfigEditError else { return XCTFail("\(text): \(error)") }
            }
        }
    }
}
