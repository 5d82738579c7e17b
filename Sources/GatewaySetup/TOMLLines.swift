/// A TOML file cut into lines and told apart: table headers, the lines of each key/value statement
/// (a multi-line array or string spans several), and comments or blank lines. Enough of TOML to find one
/// table and its sub-tables and edit them as text, so that every comment elsewhere survives; not a parser
/// of values. Anything it cannot place makes the file count as invalid, and `configure` leaves it alone.
struct TOMLLines {
    enum Kind: Equatable {
        case trivia
        case header(path: [String], arrayOfTables: Bool)
        /// The first line of `key = value`; `keyPath` is the dotted key.
        case statement(keyPath: [String])
        /// A further line of the statement above (a multi-line array, inline table or string).
        case continuation
    }

    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Each line with its terminator.
    private(set) var lines: [String]
    private(set) var kinds: [Kind]

    init(_ text: String) throws {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        self.lines = lines
        kinds = []
        var scanner = ValueScanner()
        for (number, line) in lines.enumerated() {
            let kind = try Self.classify(line, scanner: &scanner, lineNumber: number + 1)
            kinds.append(kind)
        }
        guard scanner.isBalanced else { throw Failure(line: lines.count, reason: "an array, inline table or string is not closed") }
    }

    private static func classify(_ line: String, scanner: inout ValueScanner, lineNumber: Int) throws -> Kind {
        if !scanner.isBalanced {
            try scanner.scan(Substring(line), lineNumber: lineNumber)
            return .continuation
        }
        let body = line.drop { $0 == " " || $0 == "\t" }
        if body.isEmpty || body.first == "#" || body.first == "\n" || body.first == "\r\n" { return .trivia }
        if body.first == "[" {
            return try header(body, lineNumber: lineNumber)
        }
        var keyScanner = KeyScanner(text: body)
        guard let (path, rest) = keyScanner.keyPath(), rest.first == "=" else {
            throw Failure(line: lineNumber, reason: "expected 'key = value', a [table] or a comment")
        }
        let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard !value.isEmpty, value.first != "\n", value.first != "\r\n", value.first != "#" else {
            throw Failure(line: lineNumber, reason: "a key without a value")
        }
        try scanner.scan(value, lineNumber: lineNumber)
        return .statement(keyPath: path)
    }

    private static func header(_ body: Substring, lineNumber: Int) throws -> Kind {
        let arrayOfTables = body.hasPrefix("[[")
        var keyScanner = KeyScanner(text: body.dropFirst(arrayOfTables ? 2 : 1))
        guard let (path, rest) = keyScanner.keyPath() else { throw Failure(line: lineNumber, reason: "a table header without a name") }
        let closing = arrayOfTables ? "]]" : "]"
        guard rest.hasPrefix(closing) else { throw Failure(line: lineNumber, reason: "a table header is not closed") }
        let after = rest.dropFirst(closing.count).drop { $0 == " " || $0 == "\t" }
        guard after.isEmpty || after.first == "#" || after.first == "\n" || after.first == "\r\n" else {
            throw Failure(line: lineNumber, reason: "text after a table header")
        }
        return .header(path: path, arrayOfTables: arrayOfTables)
    }

    /// Where the table whose header is at `headerIndex` ends (the next header, or the end of the file).
    func endOfTable(startingAt headerIndex: Int) -> Int {
        var index = headerIndex + 1
        while index < kinds.count {
            if case .header = kinds[index] { return index }
            index += 1
        }
        return index
    }

    /// The lines of the statement that starts at `index`: it and its continuation lines.
    func statementRange(at index: Int) -> Range<Int> {
        var end = index + 1
        while end < kinds.count, kinds[end] == .continuation { end += 1 }
        return index..<end
    }

    mutating func replaceLines(_ range: Range<Int>, with newLines: [String]) {
        lines.replaceSubrange(range, with: newLines)
        kinds.replaceSubrange(range, with: newLines.map { _ in Kind.trivia })
    }

    var text: String { lines.joined() }
}

/// Reads a dotted key (`a.b."c d"`) and returns its parts and the text after it.
private struct KeyScanner {
    var text: Substring

    mutating func keyPath() -> ([String], Substring)? {
        var parts: [String] = []
        while true {
            text = text.drop { $0 == " " || $0 == "\t" }
            guard let part = keyPart() else { return nil }
            parts.append(part)
            text = text.drop { $0 == " " || $0 == "\t" }
            guard text.first == "." else { return (parts, text) }
            text = text.dropFirst()
        }
    }

    private mutating func keyPart() -> String? {
        guard let first = text.first else { return nil }
        if first == "\"" || first == "'" {
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex, text[index] != first {
                if first == "\"", text[index] == "\\" {
                    index = text.index(after: index)
                    guard index < text.endIndex else { return nil }
                }
                value.append(text[index])
                index = text.index(after: index)
            }
            guard index < text.endIndex else { return nil }
            text = text[text.index(after: index)...]
            return value
        }
        let bare = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard !bare.isEmpty else { return nil }
        text = text.dropFirst(bare.count)
        return String(bare)
    }
}

/// Follows brackets and strings across lines, to know where a value ends.
private struct ValueScanner {
    private var depth = 0
    /// `"""` or `'''` while inside a multi-line string.
    private var openMultiline: String?

    var isBalanced: Bool { depth == 0 && openMultiline == nil }

    mutating func scan(_ text: Substring, lineNumber: Int) throws {
        var rest = text
        while let character = rest.first {
            if let delimiter = openMultiline {
                if rest.hasPrefix(delimiter) {
                    openMultiline = nil
                    rest = rest.dropFirst(3)
                } else {
                    rest = rest.dropFirst(character == "\\" && delimiter == "\"\"\"" ? 2 : 1)
                }
                continue
            }
            switch character {
            case "#":
                return
            case "[", "{":
                depth += 1
            case "]", "}":
                depth -= 1
                guard depth >= 0 else { throw TOMLLines.Failure(line: lineNumber, reason: "'\(character)' without its opening bracket") }
            case "\"", "'":
                let triple = String(repeating: character, count: 3)
                if rest.hasPrefix(triple) {
                    openMultiline = triple
                    rest = rest.dropFirst(3)
                    continue
                }
                rest = rest.dropFirst()
                while let inner = rest.first, inner != character {
                    guard inner != "\n", inner != "\r\n" else { throw TOMLLines.Failure(line: lineNumber, reason: "a string is not closed") }
                    rest = rest.dropFirst(inner == "\\" && character == "\"" ? 2 : 1)
                }
                guard !rest.isEmpty else { throw TOMLLines.Failure(line: lineNumber, reason: "a string is not closed") }
            default:
                break
            }
            rest = rest.dropFirst()
        }
    }
}
