
/// Measures how deeply a JSON text nests arrays and objects without parsing it, so a hostile message
/// of a million `[` is refused before a recursive decoder could exhaust the stack.
package enum NestingDepth {
    /// True when `text` nests no deeper than `limit` (strings and escapes are skipped correctly).
    package static func isWithin(_ text: [UInt8], limit: Int) -> Bool {
        // Through a raw buffer: a collection's iterator can cost a call per byte, noticeable on multi-MiB results.
        text.withUnsafeBytes { isWithin($0, limit: limit) }
    }

    package static func isWithin(_ text: UnsafeRawBufferPointer, limit: Int) -> Bool {
        // Nesting deeper than `limit` takes more than `limit` opening brackets: a text no longer than that
        // cannot (most tool results the MCP face checks are a few dozen bytes).
        guard text.count > limit else { return true }
        var depth = 0
        var inString = false
        var escaped = false
        for byte in text {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return true
    }
}
