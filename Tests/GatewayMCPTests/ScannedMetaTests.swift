import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// `_meta` read from a scanned line's bytes must give what reading the parsed value gives, or nothing (the
/// line then takes the full path): for every `_meta` below, where the scan answers, its fields and the
/// era judged from them equal the parsed reading's.
@Suite struct ScannedMetaTests {
    private static let version = "io.modelcontextprotocol/protocolVersion"
    private static let capabilities = "io.modelcontextprotocol/clientCapabilities"
    private static let logLevel = "io.modelcontextprotocol/logLevel"
    private static let clientInfo = "io.modelcontextprotocol/clientInfo"

    /// The scanned reading of `meta` as it sits in a tools/call line, and the parsed one.
    private func readings(_ meta: String) throws -> (scanned: RequestMeta?, parsed: RequestMeta) {
        let line = Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":\#(meta)}}"#.utf8)
        let parsed = RequestMeta(try JSONValue.parse(Array(meta.utf8)))
        let scanned = try line.withUnsafeBytes { bytes -> RequestMeta? in
            let call = try #require(ScannedToolCall.scan(bytes, maximumDepth: 64))
            let span = try #require(call.meta)
            return RequestMeta(scanning: bytes, span, maximumDepth: 64)
        }
        return (scanned, parsed)
    }

    @Test func theScanReadsWhatTheParserReads() throws {
        let v = Self.version, c = Self.capabilities, l = Self.logLevel, i = Self.clientInfo
        let metas = [
            "{}", #"{"progressToken":"t"}"#, #"{"progressToken":5}"#, #"{"progressToken":{"a":1}}"#, #"{"progressToken":null}"#,
            #"{"claudecode/toolUseId":"toolu_1","progressToken":7,"other":{"deep":[1,{"x":2}]}}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":{},"\#(l)":"info","\#(i)":{"name":"host","version":"1.2"}}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":{"sampling":{}},"\#(i)":{"name":7,"version":"1"}}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":{},"\#(i)":"not an object"}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":{},"\#(i)":{"version":"1","name":"host","extra":true}}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":[]}"#, #"{"\#(v)":"2026-07-28"}"#, #"{"\#(v)":5}"#, #"{"\#(v)":"2025-11-25"}"#,
            #"{"\#(v)":"2026-07-28","\#(c)":{},"\#(l)":"bogus"}"#, #"{"\#(v)":"2026-07-28","\#(c)":{},"\#(l)":3}"#,
            #""a string""#, "[1]", "null", "5", "true",
        ]
        var answered = 0
        for meta in metas {
            let (scanned, parsed) = try readings(meta)
            guard let scanned else { continue }
            answered += 1
            #expect(scanned == parsed, "\(meta)")
            #expect(RequestJudgement.judge(scanned) == RequestJudgement.judge(["_meta": try JSONValue.parse(Array(meta.utf8))]), "\(meta)")
        }
        #expect(answered == metas.count, "every _meta above is of a kind the scan reads")
    }

    /// Names whose bytes do not tell what they are as Strings, and members read twice, are left to the parser.
    @Test func unusualNamesAreLeftToTheParser() throws {
        for meta in [
            #"{"progress\u0054oken":"t"}"#, #"{"é":1,"progressToken":2}"#, #"{"progressToken":1,"progressToken":2}"#,
            #"{"\#(Self.version)":"2026-07-28","\#(Self.capabilities)":{},"\#(Self.clientInfo)":{"name":"a","name":"b"}}"#,
            #"{"\#(Self.version)":"2026-07-28","\#(Self.capabilities)":{},"\#(Self.clientInfo)":{"n\u0061me":"a"}}"#,
        ] {
            #expect(try readings(meta).scanned == nil, "\(meta)")
        }
    }
}
