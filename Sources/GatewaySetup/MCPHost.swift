/// The MCP hosts `configure` knows: how each one stores its servers and what a person does afterwards
/// for the host to pick the change up. Where each keeps its file is in HostConfigPaths, the one table.
package enum MCPHost: String, CaseIterable, Sendable {
    case claudeCode = "claude-code"
    case claudeDesktop = "claude-desktop"
    case cursor
    case vscode
    case codex
    case windsurf
    case gemini

    package var displayName: String {
        switch self {
        case .claudeCode: "Claude Code"
        case .claudeDesktop: "Claude Desktop"
        case .cursor: "Cursor"
        case .vscode: "VS Code"
        case .codex: "Codex"
        case .windsurf: "Windsurf"
        case .gemini: "Gemini CLI"
        }
    }

    package var format: ConfigFormat {
        switch self {
        // Claude Code writes "type": "stdio" itself (claude mcp add); VS Code requires it.
        case .claudeCode: .json(JSONHostFormat(serversKey: "mcpServers", writesStdioType: true, allowsComments: false))
        case .vscode: .json(JSONHostFormat(serversKey: "servers", writesStdioType: true, allowsComments: true))
        // Gemini CLI strips comments from settings.json before parsing it.
        case .gemini: .json(JSONHostFormat(serversKey: "mcpServers", writesStdioType: false, allowsComments: true))
        case .claudeDesktop, .cursor, .windsurf:
            .json(JSONHostFormat(serversKey: "mcpServers", writesStdioType: false, allowsComments: false))
        case .codex: .toml
        }
    }

    /// What to do for the host to load the new entry.
    package var restartHint: String {
        switch self {
        case .claudeCode: "Start a new Claude Code session; /mcp shows the server."
        case .claudeDesktop: "Quit Claude Desktop completely (File > Quit, or Quit from its tray icon; closing the window is not enough) and open it again."
        case .cursor: "Restart Cursor, or switch the server off and on in Cursor Settings > MCP."
        case .vscode: "Run 'Developer: Reload Window', or start the server from 'MCP: List Servers'."
        case .codex: "Start a new Codex session; /mcp lists the servers."
        case .windsurf: "Press Refresh in Windsurf's MCP panel (Cascade > MCP servers), or restart Windsurf."
        case .gemini: "Restart Gemini CLI; /mcp lists the servers."
        }
    }
}

package enum ConfigFormat: Equatable, Sendable {
    case json(JSONHostFormat)
    case toml
}

package struct JSONHostFormat: Equatable, Sendable {
    /// The top-level object that maps server names to their entries.
    package var serversKey: String
    /// Whether an entry carries "type": "stdio".
    package var writesStdioType: Bool
    /// JSON with comments and trailing commas (the host itself reads it so); other hosts get strict JSON.
    package var allowsComments: Bool
}
