/// Adds, updates or removes `[mcp_servers.NAME]` in Codex's config.toml as text: other tables, keys the
/// person added to this one, and every comment stay as they were.
enum TOMLConfigEditor {
    static let tableKey = "mcp_servers"

    static func upsert(_ entry: ServerEntry, into text: String) throws -> String {
        var document = try parse(text)
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        let owned: [(String, String)] = [
            ("command", "command = " + quoted(entry.command)),
            ("args", "args = [" + entry.arguments.map(quoted).joined(separator: ", ") + "]"),
        ]
        guard let header = try tableHeader(named: entry.name, in: document) else {
            var addition = ["[\(tableKey).\(entry.name)]" + newline] + owned.map { $0.1 + newline }
            if let last = document.lines.last {
                if !last.hasSuffix("\n") { document.replaceLines((document.lines.count - 1)..<document.lines.count, with: [last + newline]) }
                addition.insert(newline, at: 0)
            }
            document.replaceLines(document.lines.count..<document.lines.count, with: addition)
            return document.text
        }
        // Owned keys are replaced where they stand (or added under the header); every other line stays.
        for (key, line) in owned.reversed() {
            let end = document.endOfTable(startingAt: header)
            if let index = (header + 1..<end).first(where: { document.kinds[$0] == .statement(keyPath: [key]) }) {
                let range = document.statementRange(at: index)
                let newLine = line + newline
                if document.lines[range].joined() != newLine { document.replaceLines(range, with: [newLine]) }
            } else {
                document.replaceLines((header + 1)..<(header + 1), with: [line + newline])
            }
        }
        return document.text
    }

    static func remove(named name: String, from text: String) throws -> String {
        var document = try parse(text)
        _ = try tableHeader(named: name, in: document)
        // Last table first, so earlier line numbers stay valid.
        for header in ownedTables(named: name, in: document).reversed() {
            var end = document.endOfTable(startingAt: header)
            // Comments and blank lines just before the next table belong to it.
            while end > header + 1, document.kinds[end - 1] == .trivia { end -= 1 }
            // One blank line that separated this table from the previous one goes with it.
            var start = header
            if start > 0, document.lines[start - 1].allSatisfy(\.isWhitespace) { start -= 1 }
            document.replaceLines(start..<end, with: [])
        }
        return document.text
    }

    /// The command of `[mcp_servers.NAME]`: nil when there is no such table, .some(nil) when its command is
    /// not a plain string.
    static func configuredCommand(named name: String, in text: String) throws -> String?? {
        let document = try parse(text)
        guard let header = try tableHeader(named: name, in: document) else { return nil }
        let end = document.endOfTable(startingAt: header)
        guard let index = (header + 1..<end).first(where: { document.kinds[$0] == .statement(keyPath: ["command"]) }) else { return .some(nil) }
        let line = document.lines[index]
        guard let equals = line.firstIndex(of: "=") else { return .some(nil) }
        return .some(unquoted(line[line.index(after: equals)...].trimmingWhitespace()))
    }

    private static func parse(_ text: String) throws -> TOMLLines {
        do {
            return try TOMLLines(text)
        } catch let failure as TOMLLines.Failure {
            throw ConfigEditError.unparsable(format: "TOML", reason: failure.description)
        }
    }

    /// The line of `[mcp_servers.NAME]`, after checking the server is not defined in a form this cannot edit.
    private static func tableHeader(named name: String, in document: TOMLLines) throws -> Int? {
        var found: Int?
        var currentTable: [String] = []
        for (index, kind) in document.kinds.enumerated() {
            switch kind {
            case .header(let path, let arrayOfTables):
                currentTable = path
                guard path == [tableKey, name] else { continue }
                guard !arrayOfTables, found == nil else {
                    throw ConfigEditError.unparsable(format: "TOML", reason: "line \(index + 1): [\(tableKey).\(name)] is defined twice")
                }
                found = index
            case .statement(let keyPath):
                let full = currentTable + keyPath
                if full.count > 2, full[0] == tableKey, full[1] == name, currentTable.count < 2 {
                    throw ConfigEditError.unexpectedShape(
                        "line \(index + 1) defines the server '\(name)' with dotted keys or an inline table; edit it by hand or move it to a [\(tableKey).\(name)] table")
                }
                if full == [tableKey] {
                    throw ConfigEditError.unexpectedShape(
                        "line \(index + 1) makes \(tableKey) an inline table, which cannot take a [\(tableKey).\(name)] table; edit it by hand")
                }
                if full == [tableKey, name] {
                    throw ConfigEditError.unexpectedShape(
                        "line \(index + 1) defines the server '\(name)' as an inline table; edit it by hand or move it to a [\(tableKey).\(name)] table")
                }
            case .trivia, .continuation:
                continue
            }
        }
        return found
    }

    /// `[mcp_servers.NAME]` and its sub-tables such as `[mcp_servers.NAME.env]`.
    private static func ownedTables(named name: String, in document: TOMLLines) -> [Int] {
        document.kinds.indices.filter {
            if case .header(let path, _) = document.kinds[$0] { return path.count >= 2 && path[0] == tableKey && path[1] == name }
            return false
        }
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case let control where control.value < 0x20 || control.value == 0x7F:
                let hex = String(control.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// The text of a one-line basic or literal string at the start of `value` (nil for anything else).
    private static func unquoted(_ value: Substring) -> String? {
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        var output = ""
        var escaping = false
        for character in value.dropFirst() {
            if escaping {
                output.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaping = false
            } else if character == "\\", quote == "\"" {
                escaping = true
            } else if character == quote {
                return output
            } else {
                output.append(character)
            }
        }
        return nil
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
