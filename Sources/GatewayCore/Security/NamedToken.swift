/// A person's own access token (`--tokens FILE`): their name goes into the audit log and `list_clients`,
/// their token can be revoked alone, and a read-only one may only call tools hinted read-only.
package struct NamedToken: Sendable, Equatable {
    package var name: String
    package var token: String
    package var readOnly: Bool

    package init(name: String, token: String, readOnly: Bool = false) {
        self.name = name
        self.token = token
        self.readOnly = readOnly
    }

    /// Parses the token list: one `name token [read-only]` per line; blank lines and `#` comments are
    /// skipped. Throws with the line number of a line it cannot read or a token under 16 characters.
    package static func parseList(_ text: String) throws(ListError) -> [NamedToken] {
        var tokens: [NamedToken] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmed()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 2 || (fields.count == 3 && fields[2] == "read-only") else { throw .badLine(number + 1) }
            guard fields[1].count >= 16 else { throw .weakToken(number + 1) }
            tokens.append(NamedToken(name: fields[0], token: fields[1], readOnly: fields.count == 3))
        }
        return tokens
    }

    package enum ListError: Error, CustomStringConvertible {
        case badLine(Int)
        case weakToken(Int)

        package var description: String {
            switch self {
            case .badLine(let line): "line \(line): expected 'name token' or 'name token read-only'"
            case .weakToken(let line): "line \(line): the token is shorter than 16 characters"
            }
        }
    }
}

extension SecuritySettings {
    /// Who presents `token`: nil for nobody; the shared token is the caller named "shared".
    package func caller(presenting token: String) -> NamedToken? {
        var found: NamedToken?
        // Every comparison runs, in constant time, whichever matches.
        for named in namedTokens where AccessToken.matches(token, named.token) { found = named }
        if let shared = self.token, AccessToken.matches(token, shared) { found = found ?? NamedToken(name: "shared", token: shared) }
        return found
    }
}
