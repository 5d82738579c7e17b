import GatewayCore
import FoundationEssentials
import Glibc

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
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
