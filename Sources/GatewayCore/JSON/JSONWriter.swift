
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

    /// Appends `text` as a JSON string: quoted, with the escapes `escapedExtra` counts. The room is made
    /// once and the bytes are written in place (an append per escaped byte, each checking the array's
    /// capacity, cost about 40 instructions per byte of an editor's result).
    package static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let extra = escapedExtra(bytes)
            output.append(UInt8(ascii: "\""))
            if extra == 0 {
                output.append(contentsOf: bytes)
            } else {
                let start = output.count
                let length = bytes.count + extra
                output.append(contentsOf: repeatElement(0, count: length))
                output.withUnsafeMutableBufferPointer { buffer in
                    // Exactly `length` bytes: the room was counted by the same rule.
                    if let base = buffer.baseAddress { _ = writeEscaped(bytes, to: base + start) }
                }
            }
            output.append(UInt8(ascii: "\""))
        }
    }

    /// How many bytes escaping `bytes` adds: one for `"`, `\`, newline, carriage return and tab (`\n`),
    /// five for any other control byte (`\u00xx`). Never more than `maximumExtra(for:)`.
    package static func escapedExtra(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        escapeCodes.withUnsafeBufferPointer { codes in
            var extra = 0
            for byte in bytes {
                switch codes[Int(byte)] {
                case 0: break
                case UInt8(ascii: "u"): extra += 5
                default: extra += 1
                }
            }
            return extra
        }
    }

    /// The most escaping can add to `count` bytes (all of them control bytes).
    package static func maximumExtra(for count: Int) -> Int { count * 5 }

    /// Writes `bytes` escaped (without quotes) from `output`, which has room for `bytes.count +
    /// escapedExtra(bytes)` bytes; returns the position after the last byte written.
    package static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        escapeCodes.withUnsafeBufferPointer { codes in
            var out = output
            for byte in bytes {
                let code = codes[Int(byte)]
                out.pointee = byte
                if code == 0 {
                    out += 1
                    continue
                }
                out.pointee = UInt8(ascii: "\\")
                out[1] = code
                if code == UInt8(ascii: "u") {
                    out[2] = UInt8(ascii: "0")
                    out[3] = UInt8(ascii: "0")
                    out[4] = hexDigit(byte >> 4)
                    out[5] = hexDigit(byte & 0xF)
                    out += 6
                } else {
                    out += 2
                }
            }
            return out
        }
    }

    /// For each byte, what follows the backslash of its escape (0: the byte is written as it is). One load per
    /// byte instead of three comparisons.
    private static let escapeCodes: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x22, 0x5C: UInt8(byte)
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0..<0x20: UInt8(ascii: "u")
        default: 0
        }
    }

    /// Lower-case, as the gateway has always written `\u00xx`.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
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
}
