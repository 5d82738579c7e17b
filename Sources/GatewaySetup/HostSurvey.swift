import FoundationEssentials

/// Which hosts this user has, where their files are and whether they already name this gateway: what
/// `configure --list` prints and the Godot dock shows.
package struct HostStatus: Equatable, Sendable {
    package var host: MCPHost
    package var path: String
    package var detected: Bool
    package var configured: Bool
    /// The command the entry runs, when it has one that is a plain string.
    package var command: String?
    /// Why the file could not be read, when it could not.
    package var problem: String?

    package var json: SetupJSON {
        var fields: [(String, SetupJSON)] = [
            ("id", .string(host.rawValue)), ("name", .string(host.displayName)), ("path", .string(path)),
            ("detected", .bool(detected)), ("configured", .bool(configured)),
            ("command", command.map(SetupJSON.string) ?? .null), ("restart", .string(host.restartHint)),
        ]
        if let problem { fields.append(("problem", .string(problem))) }
        return .object(fields)
    }
}

package enum HostSurvey {
    package static func statuses(name: String, home: String, environment: [String: String]) -> [HostStatus] {
        MCPHost.allCases.map { host in
            let location = HostConfigPaths.location(of: host, on: .current, home: home, environment: environment)
            let detected = (location.evidence + [location.configFile]).contains { FileManager.default.fileExists(atPath: $0) }
            var status = HostStatus(host: host, path: location.configFile, detected: detected, configured: false)
            do {
                if let entry = try ConfigEditor.configuredEntry(name, for: host, in: try ConfigFileStore.read(location.configFile)) {
                    status.configured = true
                    status.command = entry.command
                }
            } catch {
                status.problem = "\(error)"
            }
            return status
        }
    }
}
