/// `configure` for one host, files included: reads the host's file, works out the new text, and writes
/// it (with a backup) unless nothing changes or this is a dry run. A file it cannot parse is not touched.
package struct ConfigureOutcome: Equatable, Sendable {
    package enum Change: Equatable, Sendable {
        case added, updated, removed, unchanged, absent
    }

    package var change: Change
    package var path: String
    /// The whole new text (what a dry run prints); nil when there is nothing to write.
    package var newText: String?
    package var backupPath: String?
    package var wrote: Bool
}

package struct ConfigureFailure: Error, CustomStringConvertible {
    package var description: String
}

package enum HostConfigurator {
    package static func add(_ entry: ServerEntry, for host: MCPHost, at path: String, dryRun: Bool) throws -> ConfigureOutcome {
        let existing = try read(path)
        let updated: String
        let before: ConfiguredEntry?
        do {
            before = try ConfigEditor.configuredEntry(entry.name, for: host, in: existing)
            updated = try ConfigEditor.adding(entry, for: host, to: existing)
        } catch let error as ConfigEditError {
            throw refusal(path, error)
        }
        guard updated != existing else {
            return ConfigureOutcome(change: .unchanged, path: path, newText: nil, backupPath: nil, wrote: false)
        }
        let change: ConfigureOutcome.Change = before == nil ? .added : .updated
        guard !dryRun else { return ConfigureOutcome(change: change, path: path, newText: updated, backupPath: nil, wrote: false) }
        let backup = try write(updated, to: path)
        return ConfigureOutcome(change: change, path: path, newText: updated, backupPath: backup, wrote: true)
    }

    package static func remove(_ name: String, for host: MCPHost, at path: String, dryRun: Bool) throws -> ConfigureOutcome {
        let existing = try read(path)
        let updated: String?
        do {
            updated = try ConfigEditor.removing(name, for: host, from: existing)
        } catch let error as ConfigEditError {
            throw refusal(path, error)
        }
        guard let updated, updated != existing else {
            return ConfigureOutcome(change: .absent, path: path, newText: nil, backupPath: nil, wrote: false)
        }
        guard !dryRun else { return ConfigureOutcome(change: .removed, path: path, newText: updated, backupPath: nil, wrote: false) }
        let backup = try write(updated, to: path)
        return ConfigureOutcome(change: .removed, path: path, newText: updated, backupPath: backup, wrote: true)
    }

    private static func refusal(_ path: String, _ error: ConfigEditError) -> ConfigureFailure {
        ConfigureFailure(description: "\(path): \(error); the file was left unchanged. Fix it (or move it aside) and run configure again.")
    }

    private static func read(_ path: String) throws -> String? {
        do {
            return try ConfigFileStore.read(path)
        } catch {
            throw ConfigureFailure(description: "\(error)")
        }
    }

    private static func write(_ text: String, to path: String) throws -> String? {
        do {
            return try ConfigFileStore.write(text, to: path)
        } catch {
            throw ConfigureFailure(description: "\(error)")
        }
    }
}
