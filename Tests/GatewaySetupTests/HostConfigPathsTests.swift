import XCTest
@testable import GatewaySetup

final class HostConfigPathsTests: XCTestCase {
    private func file(_ host: MCPHost, _ platform: Platform, _ environment: [String: String] = [:]) -> String {
        let home = platform == .windows ? "C:\\Users\\ada" : (platform == .macOS ? "/Users/ada" : "/home/ada")
        return HostConfigPaths.location(of: host, on: platform, home: home, environment: environment).configFile
    }

    func testLinux() {
        XCTAssertEqual(file(.claudeCode, .linux), "/home/ada/.claude.json")
        XCTAssertEqual(file(.claudeDesktop, .linux), "/home/ada/.config/Claude/claude_desktop_config.json")
        XCTAssertEqual(file(.claudeDesktop, .linux, ["XDG_CONFIG_HOME": "/xdg"]), "/xdg/Claude/claude_desktop_config.json")
        XCTAssertEqual(file(.cursor, .linux), "/home/ada/.cursor/mcp.json")
        XCTAssertEqual(file(.vscode, .linux), "/home/ada/.config/Code/User/mcp.json")
        XCTAssertEqual(file(.codex, .linux), "/home/ada/.codex/config.toml")
        XCTAssertEqual(file(.codex, .linux, ["CODEX_HOME": "/c"]), "/c/config.toml")
        XCTAssertEqual(file(.windsurf, .linux), "/home/ada/.codeium/windsurf/mcp_config.json")
        XCTAssertEqual(file(.gemini, .linux), "/home/ada/.gemini/settings.json")
    }

    func testMacOSAndWindowsFromTheHostsDocumentation() {
        XCTAssertEqual(file(.claudeDesktop, .macOS), "/Users/ada/Library/Application Support/Claude/claude_desktop_config.json")
        XCTAssertEqual(file(.vscode, .macOS), "/Users/ada/Library/Application Support/Code/User/mcp.json")
        XCTAssertEqual(file(.cursor, .macOS), "/Users/ada/.cursor/mcp.json")
        XCTAssertEqual(file(.claudeDesktop, .windows, ["APPDATA": "C:\\Users\\ada\\AppData\\Roaming"]),
                       "C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json")
        XCTAssertEqual(file(.vscode, .windows), "C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json")
        XCTAssertEqual(file(.windsurf, .windows), "C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json")
        XCTAssertEqual(file(.claudeCode, .windows), "C:\\Users\\ada\\.claude.json")
    }

    func testEveryHostHasARestartHint() {
        for host in MCPHost.allCases { XCTAssertFalse(host.restartHint.isEmpty) }
        XCTAssertTrue(MCPHost.claudeDesktop.restartHint.contains("Quit"))
    }
}
