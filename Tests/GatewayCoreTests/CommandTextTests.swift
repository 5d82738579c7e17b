import Testing
@testable import GatewayCore

/// `OutboundMessage.commandText` writes what `command(...).jsonText` writes, on its fast path (nothing to
/// escape) and on the general one, for any timestamp.
@Suite struct CommandTextTests {
    @Test func writesWhatTheValueWrites() {
        let names = ["get_node_properties", "", "a", "zwölf_ß", "quote\"d", "back\\slash", "line\nfeed", "\u{01}x"]
        let ids = ["0123456789abcdef-1", "x", "", "id\"1", "tab\tid"]
        let timestamps: [Int64] = [0, 7, 10, 1_733_500_000_123, -1, -10, Int64.max, Int64.min]
        let parameters = [
            CommandParameters(["node_path": "/root/Main/Player", "n": 3]),
            CommandParameters(["x": .array([1, "é"])], text: JSONText(["x": .array([1, "é"])])),
        ]
        for name in names {
            for id in ids {
                for timestamp in timestamps {
                    for parameter in parameters {
                        let expected = OutboundMessage.command(id: id, name: name, params: parameter.jsonValue, timestampMs: timestamp).jsonText
                        #expect(OutboundMessage.commandText(id: id, name: name, parameters: parameter, timestampMs: timestamp) == expected)
                    }
                }
            }
        }
    }

    @Test func writesDecimalsAsStringDoes() {
        var buffer = [UInt8](repeating: 0, count: 20)
        for value: Int64 in [0, 1, 9, 10, 99, 100, -1, -9, -10, 1_000_000_007, Int64.max, Int64.min, Int64.min + 1] {
            let written = buffer.withUnsafeMutableBufferPointer { JSONWriter.writeDecimal(value, into: $0) }
            #expect(String(decoding: buffer[..<written], as: UTF8.self) == String(value))
        }
    }
}
