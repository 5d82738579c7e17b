@testable import GatewaySetup

/// A realistic user configuration per host: another server, keys `configure` knows nothing about and,
/// where the host's format allows them, comments.
enum HostFixtures {
    static let command = "/opt/godot mcp/bin/godot-mcp-gateway"

    static func entry(_ arguments: [String] = []) throws -> ServerEntry {
        try ServerEntry(name: "godot", command: command, arguments: arguments)
    }

    static func existing(for host: MCPHost) -> String {
        switch host {
        case .claudeCode:
            return """
            {
              "numStartups": 12,
              "projects": {
                "/home/someone/game": { "mcpServers": {} }
              },
              "mcpServers": {
                "memory": {
                  "type": "stdio",
                  "command": "npx",
                  "args": ["-y", "@modelcontextprotocol/server-memory"],
                  "env": {}
                }
              },
              "zeta": 1.50
            }

            """
        case .claudeDesktop, .cursor, .windsurf:
            return """
            {
                "mcpServers": {
                    "filesystem": {
                        "command": "npx",
                        "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]
                    }
                },
                "preferences": { "quickEntryShortcut": "off" }
            }

            """
        case .vscode:
            return """
            {
            \t// Servers for every workspace.
            \t"inputs": [],
            \t"servers": {
            \t\t"github": {
            \t\t\t"type": "http", /* remote */
            \t\t\t"url": "https://api.githubcopilot.com/mcp/",
            \t\t},
            \t},
            }

            """
        case .gemini:
            return """
            {
              // My theme
              "theme": "Dracula",
              "mcpServers": {
                "git": { "command": "uvx", "args": ["mcp-server-git"] }
              }
            }

            """
        case .codex:
            return """
            # Codex settings
            model = "gpt-5-codex"

            # Documentation lookups
            [mcp_servers.context7]
            command = "npx"
            args = ["-y", "@upstash/context7-mcp"]

            [mcp_servers.context7.env]
            # the key stays private
            API_KEY = "k"

            [profiles.fast]
            model = "gpt-5-mini" # cheaper

            """
        }
    }

    /// Text each fixture holds that must survive every edit: other servers, unknown keys, comments.
    static func survivors(for host: MCPHost) -> [String] {
        switch host {
        case .claudeCode: ["\"numStartups\": 12", "\"/home/someone/game\": { \"mcpServers\": {} }", "@modelcontextprotocol/server-memory", "\"zeta\": 1.50"]
        case .claudeDesktop, .cursor, .windsurf: ["@modelcontextprotocol/server-filesystem", "\"preferences\": { \"quickEntryShortcut\": \"off\" }"]
        case .vscode: ["// Servers for every workspace.", "\"type\": \"http\", /* remote */", "\"inputs\": [],"]
        case .gemini: ["// My theme", "\"theme\": \"Dracula\"", "\"git\": { \"command\": \"uvx\", \"args\": [\"mcp-server-git\"] }"]
        case .codex: ["# Codex settings", "# Documentation lookups", "[mcp_servers.context7.env]", "# the key stays private", "model = \"gpt-5-mini\" # cheaper"]
        }
    }

    /// Not valid in the host's format.
    static func invalid(for host: MCPHost) -> String {
        switch host {
        case .codex: "[mcp_servers.context7\ncommand = \"npx\"\n"
        case .vscode, .gemini: "{ \"servers\": { \"a\": 1 }, \n"
        default: "{ \"mcpServers\": { \"a\": 1, }, } // trailing commas and a comment\n"
        }
    }
}
