import Foundation
import Testing
@testable import GatewayCore

/// The scanner on the hot paths: it accepts what the parser accepts, finds the members the gateway
/// reads, and the answers and tool calls it reads agree with the full path (the fuzzer checks the same
/// on arbitrary input; these pin the cases that matter).
@Suite struct JSONScannerTests {
    private func valid(_ text: String, depth: Int = 64) -> Bool {
        Array(text.utf8).withUnsafeBytes { JSONScanner.isValid($0, maximumDepth: depth) }
    }

    @Test func acceptsWhatTheParserAccepts() {
        for text in [#"{}"#, #"[]"#, #"{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n"]}"#, "\"é😀\"", " 0 ", "1e308",
                     String(repeating: "9", count: 300) + ".5"] {
            #expect(valid(text), "\(text)")
            #expect((try? JSONParser.parse(bytes: Array(text.utf8))) != nil, "\(text)")
        }
    }

    @Test func refusesWhatTheParserRefuses() {
        let refused: [[UInt8]] = [
            Array(#"{"a":1,}"#.utf8), Array("[01]".utf8), Array("1e400".utf8), Array("-".utf8), Array(#""\ud800""#.utf8),
            Array(#""\udc00""#.utf8), Array(#""\x""#.utf8), [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x09, 0x22], Array("{} {}".utf8), Array("tru".utf8),
        ]
        for bytes in refused {
            #expect(!bytes.withUnsafeBytes { JSONScanner.isValid($0, maximumDepth: 64) }, "\(bytes)")
            #expect((try? JSONParser.parse(bytes: bytes)) == nil, "\(bytes)")
        }
    }

    @Test func countsNestingLikeTheNestingCheck() {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(valid(deep, depth: 64))
        #expect(!valid("[" + deep + "]", depth: 64))
        #expect(valid(#"{"a":"[[[[[[[[[[[[[["}"#, depth: 1))
    }

    @Test func findsTopLevelAndExpandedMembers() throws {
        let text = Array(#"{"id" : 3, "params":{"name":"x","arguments":{"a":{"b":1,"c":[{"d":2}]}}},"k\"":0}"#.utf8)
        let scan = try #require(text.withUnsafeBytes { JSONScanner.scanObject($0, maximumDepth: 64, expanding: "params") })
        let span = { (range: Range<Int>) in String(decoding: text[range], as: UTF8.self) }
        #expect(scan.members.map { span($0.key) } == ["id", "params", #"k\""#])
        #expect(scan.members.map(\.keyHasEscape) == [false, false, true])
        #expect(span(scan.members[0].value) == "3")
        #expect(scan.expanded.map { span($0.key) } == ["name", "arguments"])
        #expect(span(scan.expanded[1].value) == #"{"a":{"b":1,"c":[{"d":2}]}}"#)
        #expect(scan.expanded[1].nestedMembers == 4)
    }

    /// Takes members until it has seen `limit`, then declines.
    private struct Counting: JSONMemberRecorder {
        var seen: [Bool] = []
        let limit: Int
        mutating func record(_ member: JSONScanner.Member, expanded: Bool) -> Bool {
            seen.append(expanded)
            return seen.count < limit
        }
    }

    @Test func aRecorderSeesTheMembersInOrderAndMayStopTheScan() {
        let text = Array(#"{"id":3,"params":{"name":"x","arguments":{}},"z":[1]}"#.utf8)
        var all = Counting(limit: 99)
        #expect(text.withUnsafeBytes { JSONScanner.scanObject($0, maximumDepth: 64, expanding: "params", into: &all) })
        // A member is recorded where it ends: the expanded ones before their `params`.
        #expect(all.seen == [false, true, true, false, false])
        var declining = Counting(limit: 2)
        #expect(!text.withUnsafeBytes { JSONScanner.scanObject($0, maximumDepth: 64, expanding: "params", into: &declining) })
        #expect(declining.seen.count == 2)
        // Not an object: false, nothing recorded. Not valid: false, though members before the fault were seen.
        var none = Counting(limit: 99)
        #expect(!Array("[1]".utf8).withUnsafeBytes { JSONScanner.scanObject($0, maximumDepth: 64, into: &none) })
        #expect(!Array(#"{"a":1"#.utf8).withUnsafeBytes { JSONScanner.scanObject($0, maximumDepth: 64, into: &none) })
        #expect(none.seen == [false])
    }

    // MARK: Answers

    private func answer(_ text: String, depth: Int = 64) -> InboundMessage.CommandResponse? {
        Array(text.utf8).withUnsafeBytes { InboundMessage.scannedAnswer($0, maximumDepth: depth) }
    }

    @Test func theAddonsAnswerIsScannedAndMatchesTheFullPath() throws {
        let text = #"{"id":"c1","success":true,"result": {"n":[1, 2.50]} ,"error":null,"timestamp":1733456789.125}"#
        let scanned = try #require(answer(text))
        #expect(scanned.result.text == #"{"n":[1, 2.50]}"#)
        #expect(InboundMessage.decodeFully(Array(text.utf8)) == .success(.commandResponse(scanned)))
        let failed = try #require(answer(#"{"id":"c2","success":false,"result":null,"error":"Node not found"}"#))
        #expect(failed == .init(id: "c2", success: false, result: nil, error: "Node not found"))
        let implicit = try #require(answer(#"{"id":"c3","error":"boom"}"#))
        #expect(implicit.success == false)
    }

    @Test func unusualAnswersAreLeftToTheFullPath() {
        for text in [
            #"{"id":"c1","success":true,"result":1,"result":2}"#,  // duplicate
            #"{"i\u0064":"c1","success":true}"#,  // escaped name
            #"{"id":"c\"1","success":true}"#,  // escaped id
            #"{"id":"c1","success":true,"error":{"code":1}}"#,  // structured error
            #"{"type":"response","id":"c1","success":true}"#,  // typed
            #"{"id":"c1","success":true,"extra":[1]}"#,  // container among ignored members
            #"{"id":"","success":true}"#, #"{"id":"c1"}"#, #"{"id":"c1","success":true"#,
        ] {
            #expect(answer(text) == nil, "\(text)")
        }
        let deep = #"{"id":"c1","success":true,"result":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
        #expect(answer(deep) == nil)
        #expect(answer(deep, depth: InboundMessage.maximumAnswerDepth) != nil)
    }

    // MARK: Tool calls

    private func call(_ text: String) -> ScannedToolCall? {
        Array(text.utf8).withUnsafeBytes { ScannedToolCall.scan($0, maximumDepth: 64) }
    }

    @Test func aToolCallsEnvelopeIsReadFromItsBytes() throws {
        let text = #"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"get_node","arguments":{"node_path":"/root"},"_meta":{"progressToken":1}}}"#
        let scanned = try #require(call(text))
        #expect(scanned.id == "42")
        #expect(scanned.name == "get_node")
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[try #require(scanned.arguments).value], as: UTF8.self) == #"{"node_path":"/root"}"#)
        #expect(String(decoding: bytes[try #require(scanned.meta)], as: UTF8.self) == #"{"progressToken":1}"#)
        #expect(call(#"{"id":"a/b","method":"tools/call","params":{"name":"x"}}"#)?.id == #""a/b""#)
    }

    @Test func unusualRequestsAreLeftToTheFullPath() {
        for text in [
            #"{"id":1,"method":"tools/list","params":{"name":"x"}}"#, #"{"id":1.5,"method":"tools/call","params":{"name":"x"}}"#,
            #"{"id":-0,"method":"tools/call","params":{"name":"x"}}"#, #"{"id":1e2,"method":"tools/call","params":{"name":"x"}}"#,
            #"{"id":"\u0031","method":"tools/call","params":{"name":"x"}}"#, #"{"id":1,"method":"tools/call","params":{"name":"\u0078"}}"#,
            #"{"id":1,"id":2,"method":"tools/call","params":{"name":"x"}}"#, #"{"id":1,"method":"tools/call","params":[]}"#,
            #"{"id":1,"method":"tools/call"}"#, #"{"method":"tools/call","params":{"name":"x"}}"#,
            #"{"id":1234567890123456789,"method":"tools/call","params":{"name":"x"}}"#,
        ] {
            #expect(call(text) == nil, "\(text)")
        }
    }

    private func forwarded(_ arguments: String) throws -> String? {
        let text = Array((#"{"id":1,"method":"tools/call","params":{"name":"x","arguments":"# + arguments + "}}").utf8)
        return try text.withUnsafeBytes { buffer in
            let member = try #require(ScannedToolCall.scan(buffer, maximumDepth: 64)?.arguments)
            let value = try JSONParser.parse(bytes: Array(buffer[member.value]))
            return ScannedToolCall.forwardedArguments(buffer, member, value: value, removing: ["client", "wait_seconds"])?.text
        }
    }

    @Test func argumentsAreForwardedAsTheHostsBytesWithoutTheRoutingOnes() throws {
        #expect(try forwarded(#"{ "b" : 1, "a":"\u00e9" }"#) == #"{ "b" : 1, "a":"\u00e9" }"#)
        #expect(try forwarded(#"{"client":"ed","b":1,"wait_seconds":2,"a":[2]}"#) == #"{"b":1,"a":[2]}"#)
        #expect(try forwarded(#"{"client":"ed"}"#) == "{}")
    }

    @Test func argumentsNamingAMemberTwiceAreNotForwardedAsBytes() throws {
        // A validator reads the last `path`; an editor's parser might read the first.
        #expect(try forwarded(#"{"path":"res://../x","path":"res://ok"}"#) == nil)
        #expect(try forwarded(#"{"list":[{"path":"a","path":"b"}]}"#) == nil)
        #expect(try forwarded(#"{"c\u006cient":"ed","client":"x"}"#) == nil)
        #expect(try forwarded("[1]") == nil)
    }
}
