import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// The bytes the host receives for a tool's answer, pinned: the reply lines are built for speed (one
/// allocation of the exact size, escapes written in place), and none of that may change a byte.
@Suite struct ReplyLineBytesTests {
    /// JSON string escaping as the gateway has always written it, one byte at a time: the short forms for
    /// quote, backslash, newline, carriage return and tab, `\u00xx` (lower-case hex) for the other control
    /// bytes, everything else (DEL and non-ASCII included) as it is.
    private func referenceQuoted(_ text: String) -> String {
        var out = [UInt8(ascii: "\"")]
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0..<0x20: out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    private static let samples: [String] = [
        "",
        "plain",
        #"{"node":"/root/Main/Player","tree":{"name":"Main"}}"#,
        "quote \" backslash \\ slash / end",
        String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}",
        "non-ASCII: é 漢字 🎮 K \u{212A}",
        "\"\"\"\\\\\n\n\r\t\u{0}",
        String(repeating: #"{"a":"b\c"}"#, count: 5_000),
        String(repeating: "QUJD", count: 300_000),  // base64-like: nothing to escape, 1.2 MB
    ]

    @Test func stringsAreEscapedAsTheyAlwaysWere() {
        for text in Self.samples {
            var written: [UInt8] = Array("x".utf8)
            JSONWriter.appendString(text, to: &written)
            #expect(String(decoding: written, as: UTF8.self) == "x" + referenceQuoted(text))
        }
        // Every single byte below 0x80 on its own, and within a run.
        for byte in UInt8(0)..<0x80 {
            let text = String(decoding: [byte], as: UTF8.self)
            var alone: [UInt8] = []
            JSONWriter.appendString(text, to: &alone)
            #expect(String(decoding: alone, as: UTF8.self) == referenceQuoted(text))
            var within: [UInt8] = []
            JSONWriter.appendString("ab" + text + "cd", to: &within)
            #expect(String(decoding: within, as: UTF8.self) == referenceQuoted("ab" + text + "cd"))
        }
    }

    @Test func aToolResultLineIsPinnedByteForByte() {
        let text = #"{"node":"/root/Main/Player","tree":{"name":"Main"}}"#
        let line = JSONRPCLine.toolResult(id: "1000", text: text, isError: false)
        #expect(String(decoding: line, as: UTF8.self) == #"{"jsonrpc":"2.0","id":1000,"result":{"content":[{"type":"text","text":"#
            + #""{\"node\":\"/root/Main/Player\",\"tree\":{\"name\":\"Main\"}}"}],"isError":false}}"#)

        let full = JSONRPCLine.toolResult(
            id: #""call-é""#, text: "a\u{1}\n\"é", isError: true, structured: #"{"x":1}"#, note: "(Answered by Godot editor \"A\".)",
            meta: ["godot-mcp/clientId": "c-1"], modern: true)
        #expect(String(decoding: full, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"call-é","result":{"resultType":"complete","content":"#
            + #"[{"type":"text","text":"a\u0001\n\"é"},{"type":"text","text":"(Answered by Godot editor \"A\".)"}],"isError":true,"#
            + #""_meta":{"godot-mcp/clientId":"c-1"},"structuredContent":{"x":1}}}"#)
    }

    @Test func everyToolResultShapeMatchesItsPartsWrittenOneByOne() {
        for text in Self.samples {
            for modern in [false, true] {
                let line = JSONRPCLine.toolResult(
                    id: "-12", text: text, isError: modern, structured: modern ? #"{"k":[1,2]}"# : nil, note: modern ? nil : "n\"ote",
                    meta: modern ? ["m": 1] : nil, modern: modern)
                var expected = #"{"jsonrpc":"2.0","id":-12,"result":{"#
                expected += modern ? #""resultType":"complete","content":[{"type":"text","text":"# : #""content":[{"type":"text","text":"#
                expected += referenceQuoted(text)
                if !modern { expected += #"},{"type":"text","text":"# + referenceQuoted("n\"ote") }
                expected += modern ? #"}],"isError":true,"_meta":{"m":1},"structuredContent":{"k":[1,2]}}}"# : #"}],"isError":false}}"#
                #expect(String(decoding: line, as: UTF8.self) == expected)
            }
        }
    }

    @Test func imageAndPlainResultLinesArePinned() {
        let image = JSONRPCLine.imageResult(id: "3", data: "iVBO+/=", mimeType: "image/png", text: "Screenshot \"main\"", meta: ["a": "b"])
        #expect(String(decoding: image, as: UTF8.self) == #"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"image","data":"iVBO+/=","#
            + #""mimeType":"image/png"},{"type":"text","text":"Screenshot \"main\""}],"isError":false,"_meta":{"a":"b"}}}"#)
        let modernImage = JSONRPCLine.imageResult(id: "3", data: "", mimeType: "image/jpeg", text: "", modern: true)
        #expect(String(decoding: modernImage, as: UTF8.self) == #"{"jsonrpc":"2.0","id":3,"result":{"resultType":"complete","content":"#
            + #"[{"type":"image","data":"","mimeType":"image/jpeg"},{"type":"text","text":""}],"isError":false}}"#)
        #expect(String(decoding: JSONRPCLine.result(id: #""p""#, resultJSON: Array("{}".utf8)), as: UTF8.self)
            == #"{"jsonrpc":"2.0","id":"p","result":{}}"#)
        #expect(String(decoding: JSONRPCLine.modernResult(id: "9", resultJSON: Array(#"{"tools":[]}"#.utf8)), as: UTF8.self)
            == #"{"jsonrpc":"2.0","id":9,"result":{"resultType":"complete","tools":[]}}"#)
        #expect(String(decoding: JSONRPCLine.error(id: "null", code: .parseError, message: "bad \"x\"\n"), as: UTF8.self)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad \"x\"\n"}}"#)
    }
}
