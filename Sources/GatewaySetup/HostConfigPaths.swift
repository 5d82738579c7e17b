/// Where each host keeps its user configuration, per operating system: the one place that says so.
/// Linux is what the tests run on; the macOS and Windows rows follow each host's documentation
/// (Claude Desktop: modelcontextprotocol.io quickstart and playwright.dev/mcp/clients/claude-desktop;
/// VS Code: code.visualstudio.com/docs/agents/reference/mcp-configuration, the user profile folder;
/// Codex: ~/.codex/config.toml or $CODEX_HOME; Cursor: ~/.cursor/mcp.json; Windsurf:
/// ~/.codeium/windsurf/mcp_config.json; Gemini CLI: ~/.gemini/settings.json; Claude Code: ~/.claude.json).
package enum Platform: String, CaseIterable, Sendable {
    case linux, macOS, windows

    /// The system this executable was built for (Linux is the only one built and tested today).
    package static var current: Platform {
        #if os(macOS)
        .macOS
        #elseif os(Windows)
        .windows
        #else
        .linux
        #endif
    }
}

package struct HostLocation: Equatable, Sendable {
    /// The file `configure` edits.
    package var configFile: String
    /// Files or folders whose presence means the host is installed for this user.
    package var evidence: [String]
}

package enum HostConfigPaths {
    /// - Parameters:
    ///   - home: the user's home folder (HOME; on Windows USERPROFILE).
    ///   - environment: XDG_CONFIG_HOME (Linux), APPDATA (Windows), CODEX_HOME (every system).
    package static func location(of host: MCPHost, on platform: Platform, home: String,
                                 environment: [String: String]) -> HostLocation {
        let separator = platform == .windows ? "\\" : "/"
        func join(_ parts: String...) -> String { parts.joined(separator: separator) }
        // Where Electron apps (Claude Desktop, VS Code) keep their per-user data.
        let applicationData: String = switch platform {
        case .linux: nonEmpty(environment["XDG_CONFIG_HOME"]) ?? join(home, ".config")
        case .macOS: join(home, "Library", "Application Support")
        case .windows: nonEmpty(environment["APPDATA"]) ?? join(home, "AppData", "Roaming")
        }
        switch host {
        case .claudeCode:
            return HostLocation(configFile: join(home, ".claude.json"), evidence: [join(home, ".claude.json"), join(home, ".claude")])
        case .claudeDesktop:
            let folder = join(applicationData, "Claude")
            return HostLocation(configFile: join(folder, "claude_desktop_config.json"), evidence: [folder])
        case .cursor:
            let folder = join(home, ".cursor")
            return HostLocation(configFile: join(folder, "mcp.json"), evidence: [folder])
        case .vscode:
            let folder = join(applicationData, "Code")
            return HostLocation(configFile: join(folder, "User", "mcp.json"), evidence: [folder])
        case .codex:
            let folder = nonEmpty(environment["CODEX_HOME"]) ?? join(home, ".codex")
            return HostLocation(configFile: join(folder, "config.toml"), evidence: [folder])
        case .windsurf:
            let folder = join(home, ".codeium", "windsurf")
            return HostLocation(configFile: join(folder, "mcp_config.json"), evidence: [folder])
        case .gemini:
            let folder = join(home, ".gemini")
            return HostLocation(configFile: join(folder, "settings.json"), evidence: [folder])
        }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
