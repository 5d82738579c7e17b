/// The entry `configure` writes for this gateway: a name in the host's server list, the absolute path of
/// the executable and the arguments that differ from the defaults.
package struct ServerEntry: Equatable, Sendable {
    package var name: String
    package var command: String
    package var arguments: [String]

    package init(name: String, command: String, arguments: [String]) throws {
        // A bare key in TOML and a plain JSON key: letters, digits, '-' and '_' need no quoting anywhere.
        guard !name.isEmpty, name.count <= 64,
              name.unicodeScalars.allSatisfy({ Self.nameCharacters.contains($0) })
        else { throw ConfigEditError.invalidName(name) }
        guard command.hasPrefix("/") || Self.isWindowsAbsolute(command) else { throw ConfigEditError.relativeCommand(command) }
        self.name = name
        self.command = command
        self.arguments = arguments
    }

    private static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".unicodeScalars)

    private static func isWindowsAbsolute(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars.prefix(3))
        return scalars.count == 3 && scalars[0].properties.isAlphabetic && scalars[1] == ":" && (scalars[2] == "\\" || scalars[2] == "/")
    }
}

package enum ConfigEditError: Error, Equatable, CustomStringConvertible {
    case invalidName(String)
    case relativeCommand(String)
    /// The file is not valid in its format; it is left as it was.
    case unparsable(format: String, reason: String)
    /// The file parses but its shape is not one `configure` can change without guessing.
    case unexpectedShape(String)

    package var description: String {
        switch self {
        case .invalidName(let name): "'\(name)' is not a usable server name (letters, digits, '-' and '_', at most 64)"
        case .relativeCommand(let command): "the command must be an absolute path, not '\(command)'"
        case .unparsable(let format, let reason): "it is not valid \(format) (\(reason))"
        case .unexpectedShape(let reason): reason
        }
    }
}
