import GatewayCore
import FoundationEssentials
import Glibc

/// The per-person token list (`--tokens FILE`): readable by its owner only, re-read on SIGHUP.
package enum TokenListFile {
    package static func load(_ path: String) throws -> [NamedToken] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw TokenFile.LoadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & 0o077 == 0 else { throw TokenFile.LoadError.tooOpen(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFile.LoadError.unreadable(path: path, reason: "not readable as text")
        }
        do {
            return try NamedToken.parseList(text)
        } catch {
            throw TokenFile.LoadError.unreadable(path: path, reason: error.description)
        }
    }
}
