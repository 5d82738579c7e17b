import XCTest
@testable import GatewaySetup

/// The pure text edits, for every host against its fixture.
final class ConfigEditorTests: XCTestCase {
    func testAddingKeepsOtherServersUnknownKeysAndComments() throws {
        for host in MCPHost.allCases {
            let original = HostFixtures.existing(for: host)
            let updated = try ConfigEditor.adding(HostFixtures.entry(), for: host, to: original)
            for survivor in HostFixtures.survivors(for: host) {
                XCTAssertTrue(updated.contains(survivor), "\(host): lost \(survivor)\n\(updated)")
            }
            XCTAssertEqual(try ConfigEditor.configuredEntry("godot", for: host, in: updated), ConfiguredEntry(command: HostFixtures.command), "\(host)")
            XCTAssertTrue(updated.hasPrefix(String(original.prefix(20))), "\(host): the start moved")
        }
    }

    func testTheEntryHasTheHostsShape() throws {
        let entry = try HostFixtures.entry(["--port", "9000"])
        let vscode = try ConfigEditor.adding(entry, for: .vscode, to: nil)
        XCTAssertEqual(vscode, """
            {
              "servers": {
                "godot": {
                  "type": "stdio",
                  "command": "/opt/godot mcp/bin/godot-mcp-gateway",
                  "args": ["--port", "9000"]
                }
              }
            }

            """)
        let desktop = try ConfigEditor.adding(entry, for: .claudeDesktop, to: nil)
        XCTAssertTrue(desktop.contains("\"mcpServers\": {\n    \"godot\": {\n      \"command\""), desktop)
        XCTAssertFalse(desktop.contains("stdio"))
        XCTAssertTrue(try ConfigEditor.adding(entry, for: .claudeCode, to: nil).contains("\"type\": \"stdio\""))
        XCTAssertEqual(try ConfigEditor.adding(entry, for: .codex, to: nil), """
            [mcp_servers.godot]
            command = "/opt/godot mcp/bin/godot-mcp-gateway"
            args = ["--port", "9000"]

            """)
    }

    func testAddingTwiceChangesNothingTheSecondTime() throws {
        for host in MCPHost.allCases {
            for start in [nil, HostFixtures.existing(for: host)] {
                let once = try ConfigEditor.adding(HostFixtures.entry(), for: host, to: start)
                XCTAssertEqual(try ConfigEditor.adding(HostFixtures.entry(), for: host, to: once), once, "\(host)")
            }
        }
    }

    func testRemovingTakesOutOnlyTheEntry() throws {
        for host in MCPHost.allCases {
            let original = HostFixtures.existing(for: host)
            let added = try ConfigEditor.adding(HostFixtures.entry(), for: host, to: original)
            let removed = try XCTUnwrap(ConfigEditor.removing("godot", for: host, from: added))
            XCTAssertEqual(removed, original, "\(host): removing should give back the file as it was")
            XCTAssertNil(try ConfigEditor.configuredEntry("godot", for: host, in: removed))
            XCTAssertEqual(try ConfigEditor.removing("godot", for: host, from: original), original, "\(host): nothing to remove")
            XCTAssertNil(try ConfigEditor.removing("godot", for: host, from: nil))
        }
    }

    func testAFileThatDoesNotParseIsRefused() throws {
        for host in MCPHost.allCases {
            XCTAssertThrowsError(try ConfigEditor.adding(HostFixtures.entry(), for: host, to: HostFixtures.invalid(for: host)), "\(host)") { error in
                guard case .unparsable = error as? ConfigEditError else { return XCTFail("\(host): \(error)") }
            }
            XCTAssertThrowsError(try ConfigEditor.removing("godot", for: host, from: HostFixtures.invalid(for: host)), "\(host)")
        }
    }

    func testNamesAndCommandsAreChecked() {
        XCTAssertThrowsError(try ServerEntry(name: "go dot", command: "/x", arguments: []))
        XCTAssertThrowsError(try ServerEntry(name: "", command: "/x", arguments: []))
        XCTAssertThrowsError(try ServerEntry(name: "godot", command: "godot-mcp-gateway", arguments: []))
        XCTAssertNoThrow(try ServerEntry(name: "godot-2_b", command: "C:\\Tools\\gateway.exe", arguments: []))
    }
}
