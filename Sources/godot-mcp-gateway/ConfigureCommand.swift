import ArgumentParser
import FoundationEssentials
import GatewaySetup
import Glibc

/// `godot-mcp-gateway configure HOST`: adds this gateway to an MCP host's own configuration file. The
/// work is GatewaySetup's; this only reads the command line, prints, and chooses the exit status.
struct ConfigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure",
        abstract: "Add this gateway to an MCP host's configuration: \(MCPHost.allCases.map(\.rawValue).joined(separator: ", ")).",
        discussion: """
            Merges one entry (this executable's absolute path and its arguments) into the host's user configuration, \
            keeping everything else in the file; the previous file is kept as FILE.bak. Running it again changes nothing. \
            A file it cannot parse is left alone. Arguments after -- are written into the entry for the gateway, e.g. \
            configure cursor -- --port 9100 --token-file /home/me/.config/godot-mcp-gateway/token
            """)

    @Argument(help: "The host: \(MCPHost.allCases.map(\.rawValue).joined(separator: ", ")).")
    var host: String?

    @Option(help: "The server's name in the host's list.")
    var name = "godot"

    @Flag(help: "Print what the file would hold and write nothing.")
    var dryRun = false

    @Flag(help: "Take the entry out instead.")
    var remove = false

    @Flag(help: "List the hosts: found on this machine, configured, their files.")
    var list = false

    @Flag(help: "With --list: one JSON document (for the Godot addon's dock).")
    var json = false

    @Option(help: "The executable the host should start (default: this one, or the bundle's launcher).")
    var command: String?

    @Option(help: "Edit this file instead of the host's usual one.")
    var configFile: String?

    // The gateway's own options (--port, --token-file, ...) come after --: the root command owns those names.
    @Argument(parsing: .postTerminator, help: "Gateway arguments for the entry, after --.")
    var gatewayArguments: [String] = []

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let home = environment["HOME"], !home.isEmpty else { throw ValidationError("HOME is not set") }
        if list {
            print(HostListing.render(HostSurvey.statuses(name: name, home: home, environment: environment), asJSON: json))
            return
        }
        guard let hostName = host else { throw ValidationError("name a host (\(MCPHost.allCases.map(\.rawValue).joined(separator: ", "))) or use --list") }
        guard let host = MCPHost(rawValue: hostName) else {
            throw ValidationError("unknown host '\(hostName)'; one of \(MCPHost.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let location = HostConfigPaths.location(of: host, on: .current, home: home, environment: environment)
        let path = configFile ?? location.configFile
        do {
            if remove {
                report(try HostConfigurator.remove(name, for: host, at: path, dryRun: dryRun), host: host, entry: nil)
            } else {
                let entry = try ServerEntry(name: name, command: try executable(environment), arguments: gatewayArguments)
                if configFile == nil, !(location.evidence + [path]).contains(where: { FileManager.default.fileExists(atPath: $0) }) {
                    printError("note: \(host.displayName) does not seem to be installed for this user (none of \(location.evidence.joined(separator: ", ")) exists)")
                }
                report(try HostConfigurator.add(entry, for: host, at: path, dryRun: dryRun), host: host, entry: entry)
            }
        } catch let failure as ConfigureFailure {
            printError("error: \(failure)")
            throw ExitCode.failure
        } catch let error as ConfigEditError {
            throw ValidationError("\(error)")
        }
    }

    /// What the host should start: --command, else the launcher that started us (a bundle's
    /// godot-mcp-gateway script sets GODOT_MCP_GATEWAY_LAUNCHER, so the host gets its library check too),
    /// else this executable as the kernel names it.
    private func executable(_ environment: [String: String]) throws -> String {
        if let command { return command }
        if let launcher = environment["GODOT_MCP_GATEWAY_LAUNCHER"], launcher.hasPrefix("/") { return launcher }
        guard let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw ValidationError("cannot tell where this executable is; pass --command /absolute/path/to/godot-mcp-gateway")
        }
        return own
    }

    private func report(_ outcome: ConfigureOutcome, host: MCPHost, entry: ServerEntry?) {
        let file = "\(host.displayName)'s configuration \(outcome.path)"
        if dryRun, let text = outcome.newText {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            printError("dry run: the above is what \(outcome.path) would hold; nothing was written")
            return
        }
        switch outcome.change {
        case .added: print("Added '\(name)' to \(file).")
        case .updated: print("Updated '\(name)' in \(file).")
        case .removed: print("Removed '\(name)' from \(file).")
        case .unchanged: print("\(file) already has '\(name)' as it should be; nothing written.")
        case .absent: print("\(file) has no '\(name)'; nothing written.")
        }
        if let entry, outcome.wrote { print("It starts: " + ([entry.command] + entry.arguments).joined(separator: " ")) }
        if let backup = outcome.backupPath { print("The previous file is kept as \(backup).") }
        if outcome.wrote { print(host.restartHint) }
    }
}

func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
