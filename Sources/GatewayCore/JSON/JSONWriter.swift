
/// Writes `JSONValue` as JSON text with sorted keys, compact or indented, in one pass.
package enum JSONWriter {
    static func write(_ value: JSONValue, pretty: Bool) -> String {
        var output = [UInt8]()
        output.reserveCapacity(256)
        append(value, to: &output, pretty: pretty, indent: 0)
        return String(decoding: output, as: UTF8.self)
    }

    private static func append(_ value: JSONValue, to output: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let integer): output.append(contentsOf: String(integer).utf8)
        case .double(let number):
            if number.isFinite {
                // Integral doubles keep a fraction-free form, as JSONEncoder wrote them.
                if number.rounded() == number, abs(number) < 1e15 { output.append(contentsOf: String(Int64(number)).utf8) }
                else { output.append(contentsOf: "\(number)".utf8) }
            } else {
                output.append(contentsOf: "null".utf8)
            }
        case .string(let text): appendString(text, to: &output)
        case .array(let items):
            if items.isEmpty { output += [UInt8(ascii: "["), UInt8(ascii: "]")]; return }
            output.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, pretty: pretty, indent: indent + 1)
                append(item, to: &output, pretty: pretty, indent: indent + 1)
            }
            newline(&output, pretty: pretty, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { output += [UInt8(ascii: "{"), UInt8(ascii: "}")]; return }
            output.append(UInt8(ascii: "{"))
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, pretty: pretty, indent: indent + 1)
                appendString(key, to: &output)
                if pretty { output.append(contentsOf: " : ".utf8) } else { output.append(UInt8(ascii: ":")) }
                append(members[key] ?? .null, to: &output, pretty: pretty, indent: indent + 1)
            }
            newline(&output, pretty: pretty, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ output: inout [UInt8], pretty: Bool, indent: Int) {
        guard pretty else { return }
        output.append(0x0A)
        output += [UInt8](repeating: 0x20, count: indent * 2)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    package static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        // Native strings are contiguous UTF-8; making sure of it lets runs that need no escaping be
        // copied in one move instead of byte by byte (multi-MiB results are mostly such runs).
        text.makeContiguousUTF8()
        output.append(UInt8(ascii: "\""))
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether `appendString` would escape any of these bytes.
    package static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    /// Writes `value` in decimal, as `String(value)` does, at the start of `output` (room for 20 bytes);
    /// returns how many bytes it wrote.
    package static func writeDecimal(_ value: Int64, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, filled from the end
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            var written = 0
            if value < 0 {
                output[0] = UInt8(ascii: "-")
                written = 1
            }
            for offset in start..<scratch.count {
                output[written] = scratch[offset]
                written += 1
            }
            return written
        }
    }

    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default: output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
