import GatewayCore
import FoundationEssentials
import Glibc

/// Where the access token is kept: read from a file, or created at random on first start and stored
/// readable by the user only.
package enum TokenFile {
    /// `$XDG_CONFIG_HOME/godot-mcp-gateway/token`, else `~/.config/godot-mcp-gateway/token`.
    package static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? homeFromPasswordFile()) + "/.config")
        return base + "/godot-mcp-gateway/token"
    }

    package enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case tooWeak(path: String)
        case tooOpen(path: String)

        package var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read or create the token file \(path): \(reason)"
            case .tooWeak(let path): "the token in \(path) is shorter than 16 characters"
            case .tooOpen(let path): "the token file \(path) is readable by other users; run chmod 600 on it"
            }
        }
    }

    /// Reads the token at `path`, creating the file (mode 0600, folder 0700) with a fresh token if absent.
    /// Returns the token and whether it was just created.
    package static func loadOrCreate(at path: String) throws -> (token: String, created: Bool) {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            var status = stat()
            if stat(path, &status) == 0, status.st_mode & 0o077 != 0 { throw LoadError.tooOpen(path: path) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LoadError.unreadable(path: path, reason: "not readable as text")
            }
            let token = text.trimmed()
            guard token.count >= 16 else { throw LoadError.tooWeak(path: path) }
            return (token, false)
        }
        let token = generate()
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LoadError.unreadable(path: path, reason: "\(error)")
        }
        // O_EXCL: never follow or overwrite something another process put there meanwhile.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let line = Array((token + "\n").utf8)
        guard write(fd, line, line.count) == line.count else {
            throw LoadError.unreadable(path: path, reason: "short write")
        }
        return (token, true)
    }

    /// 32 random bytes from the system's generator, as 64 hex digits.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in hexByte(UInt8.random(in: 0...255, using: &generator)) }.joined()
    }


    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }

    /// The user's home folder from the password database, for a process started without HOME.
    private static func homeFromPasswordFile() -> String {
        guard let entry = getpwuid(getuid()), let home = entry.pointee.pw_dir else { return "/" }
        return String(cString: home)
    }
}
