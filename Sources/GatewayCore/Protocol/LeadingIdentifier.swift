/// Finds the top-level `"id"` of a JSON object in the first bytes of a message that will not be parsed
/// whole (too large, too deep, not JSON after all), so the request or command it belongs to can be
/// answered at once instead of waiting for a timeout. It reads only as far as it must, tolerates a cut
/// anywhere after the id, and returns nil when the id is not a plain string or number in the prefix.
package enum LeadingIdentifier {
    /// How many leading bytes callers keep and search: ids come first in every message of the protocol.
    package static let searchedPrefix = 4096

    package enum Value: Equatable {
        case string(String)
        case number(String)

        /// The id as JSON text, for a JSON-RPC error response.
        package var jsonText: String {
            switch self {
            case .string(let text): JSONValue.string(text).jsonText
            case .number(let digits): digits
            }
        }

        package var stringValue: String? {
            if case .string(let text) = self { return text }
            return nil
        }
    }

    package static func find<Bytes: RandomAccessCollection>(in bytes: Bytes) -> Value? where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func skipSpace() {
            while index < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        /// Reads a string starting at a quote; returns it raw (escapes undone only for `\"` and `\\`).
        func readString() -> String? {
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var collected: [UInt8] = []
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < end else { return nil }
                    let next = bytes[index + 1]
                    guard next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "/") else { return nil }
                    collected.append(next)
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(validating: collected, as: UTF8.self)
                }
                collected.append(byte)
                index += 1
            }
            return nil
        }
        /// Skips one value of any kind; false if the prefix ends inside it.
        func skipValue() -> Bool {
            skipSpace()
            guard index < end else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < end {
                    if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                    if bytes[index] == UInt8(ascii: "\"") { index += 1; return true }
                    index += 1
                }
                return false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                var inString = false
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    if inString {
                        if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                        continue
                    }
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { return true }
                    default: break
                    }
                }
                return false
            default:
                while index < end, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
                return index < end
            }
        }

        skipSpace()
        guard index < end, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipSpace()
            guard let key = readString() else { return nil }
            skipSpace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            if key == "id" {
                guard index < end else { return nil }
                if bytes[index] == UInt8(ascii: "\"") { return readString().map(Value.string) }
                let start = index
                while index < end, (bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9"))
                    || [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+")].contains(bytes[index]) {
                    index += 1
                }
                // A number cut by the end of the prefix may be missing digits: not trusted.
                guard index < end, index > start else { return nil }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            guard skipValue() else { return nil }
            skipSpace()
            guard index < end, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
