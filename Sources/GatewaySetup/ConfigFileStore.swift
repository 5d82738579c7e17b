import FoundationEssentials
import Glibc

/// Reads and writes a host's configuration file: a missing file reads as nil, a write keeps one backup of
/// what was there (`FILE.bak`, replaced by the next change) and replaces the file in one rename, with the
/// old file's permissions, through a symbolic link to wherever the file really lives.
package enum ConfigFileStore {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    package static func read(_ path: String) throws -> String? {
        let target = resolvingLinks(path)
        guard FileManager.default.fileExists(atPath: target) else { return nil }
        guard let data = FileManager.default.contents(atPath: target) else { throw Failure(description: "cannot read \(path)") }
        guard let text = String(validating: data, as: UTF8.self) else { throw Failure(description: "\(path) is not UTF-8 text; left unchanged") }
        return text
    }

    /// Writes `text`; returns the backup's path when there was a file to back up.
    @discardableResult
    package static func write(_ text: String, to path: String) throws -> String? {
        let target = resolvingLinks(path)
        let manager = FileManager.default
        let folder = parentFolder(of: target)
        if !folder.isEmpty, !manager.fileExists(atPath: folder) {
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw Failure(description: "cannot create \(folder): \(error)")
            }
        }
        var permissions = 0o600
        var backup: String?
        if let old = manager.contents(atPath: target) {
            if let mode = (try? manager.attributesOfItem(atPath: target))?[.posixPermissions] as? Int { permissions = mode }
            // A file made read-only (by hand, or by a tool that manages dotfiles) is not replaced behind its
            // back; the mode bits are asked too, since for root every file is writable.
            if permissions & 0o222 == 0 || !manager.isWritableFile(atPath: target) {
                throw Failure(description: "\(path) is read-only; left unchanged")
            }
            let backupPath = target + ".bak"
            try store(old, at: backupPath, permissions: permissions)
            backup = backupPath
        }
        try store(Data(text.utf8), at: target, permissions: permissions)
        return backup
    }

    /// Writes beside the target and renames over it, so a reader never sees half a file.
    private static func store(_ data: Data, at path: String, permissions: Int) throws {
        let temporary = path + ".tmp-godot-mcp-gateway"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: permissions]) else {
            throw Failure(description: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot replace \(path): \(reason)")
        }
    }

    private static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<16 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = destination.hasPrefix("/") ? destination : parentFolder(of: current) + "/" + destination
        }
        return current
    }
}

/// The folder part of a path (NSString's path methods are not in FoundationEssentials).
func parentFolder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
