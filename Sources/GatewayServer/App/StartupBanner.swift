import GatewayCore
import Foundation

/// What a person who started the gateway in a terminal needs to know, written to stderr.
enum StartupBanner {
    static func print(listeningOn addresses: [String], configuration: ServerConfiguration, tokenSource: String) {
        let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "godot-mcp-gateway"
        let scheme = configuration.tls == nil ? "ws" : "wss"
        let endpoints = addresses.map { "\(scheme)://\($0)" }.joined(separator: "  ")
        let text = """

        godot-mcp-gateway \(GatewayVersion.current)
          Godot editors connect to:  \(endpoints)
          Health check:              \(configuration.tls == nil ? "http" : "https")://\(addresses.first ?? "127.0.0.1:\(configuration.port)")/health
          Access token:              \(tokenSource)
                                     (the Godot addon reads it when the editor runs as this user;
                                      otherwise paste it into the MCP dock's Token field)
          MCP:                       this process's stdin/stdout (JSON-RPC, one message per line)

        It is normally started by an MCP host, not by hand. To register it:
          Claude Code:     claude mcp add godot -- \(executable)
          Claude Desktop:  add to claude_desktop_config.json
                           {"mcpServers": {"godot": {"command": "\(executable)"}}}

        Press Ctrl-C (or Ctrl-D) to stop.

        """
        FileHandle.standardError.write(Data(text.utf8))
    }
}
