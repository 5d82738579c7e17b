import Foundation
import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// A tools/call of the common shape is scanned (`callScannedTool`), any other parsed whole; through the
/// dispatcher and a real core both must send the editor the same command and the host the same answer,
/// and the scanned one sends the host's own argument bytes (without the gateway's routing arguments).
@Suite struct ScannedCallTests {
    let core = DispatcherFixture.core()
    let output = DispatcherOutput()
    let dispatcher: MCPDispatcher
    let editor: String

    init() throws {
        dispatcher = DispatcherFixture.dispatcher(over: core, writingTo: output)
        editor = try #require(core.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3"))?.id)
        let schema = #"{"type":"object","properties":{"path":{"type":"string"},"overwrite":{"type":"boolean"}},"additionalProperties":false}"#
        let identify = #"{"type":"identify","clientType":"godot","capabilities":{"commands":[{"name":"create_scene","inputSchema":\#(schema)}]}}"#
        core.receive(editor, text: Array(identify.utf8))
        _ = core.takeEffects()
    }

    /// Sends a request line; returns the command text the editor was sent, if any.
    private func commandText(for line: String) -> String? {
        output.lines.removeAll()
        dispatcher.handle(.message(Array(line.utf8)))
        return core.takeEffects().compactMap { effect -> String? in
            guard case .send(_, let text) = effect else { return nil }
            return text
        }.first
    }

    /// Answers the command and returns what the host was told.
    private func answer(_ command: String, result: String) throws -> JSONValue {
        let id = try #require(JSONValue.parse(Data(command.utf8))["id"]?.stringValue)
        output.lines.removeAll()
        core.receive(editor, text: Array(#"{"id":"\#(id)","success":true,"result":\#(result),"error":null,"timestamp":1.5}"#.utf8))
        for (address, reply) in core.takeReplies() {
            guard case .call(_, let key) = address, case .ended(let outcome) = reply else { continue }
            dispatcher.commandEnded(call: key, outcome)
        }
        return try #require(output.lines.first)
    }

    @Test func theScannedAndTheParsedPathSendAndAnswerAlike() throws {
        let arguments = #"{ "path" : "res://levels/a.tscn", "overwrite":true, "client":"\#(editor)" }"#
        let scanned = try #require(commandText(for: #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_scene","arguments":\#(arguments)}}"#))
        // An escaped member name sends the line down the full path.
        let parsed = try #require(commandText(for: #"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"n\u0061me":"create_scene","arguments":\#(arguments)}}"#))
        // The host's bytes, members cut out with the separators around them.
        #expect(scanned.contains(#""params":{"path" : "res://levels/a.tscn","overwrite":true}"#))
        #expect(parsed.contains(#""params":{"overwrite":true,"path":"res://levels/a.tscn"}"#))
        let scannedCommand = try JSONValue.parse(Data(scanned.utf8))
        let parsedCommand = try JSONValue.parse(Data(parsed.utf8))
        #expect(scannedCommand["command"] == parsedCommand["command"])
        #expect(scannedCommand["params"] == parsedCommand["params"])
        let first = try answer(scanned, result: #"{"created":true}"#)
        let second = try answer(parsed, result: #"{"created":true}"#)
        #expect(first["id"] == 7 && second["id"] == 8)
        #expect(first["result"] == second["result"])
    }

    @Test func argumentsNamingAMemberTwiceAreValidatedAndSentAsOneValue() throws {
        // The validator reads the last `path`; the editor must not be able to read the first.
        let line = #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"create_scene","arguments":{"path":"res://../x.tscn","path":"res://ok.tscn"}}}"#
        let command = try #require(commandText(for: line))
        #expect(command.contains(#""params":{"path":"res://ok.tscn"}"#))
    }

    @Test func refusalsAreTheSameOnBothPaths() throws {
        #expect(commandText(for: #"{"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":"create_scene","arguments":{"path":"/etc/x"}}}"#) == nil)
        let scanned = try #require(output.lines.first)
        #expect(commandText(for: #"{"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":"create_scene","arguments":{"p\u0061th":"/etc/x"}}}"#) == nil)
        let parsed = try #require(output.lines.first)
        #expect(scanned == parsed)
        #expect(scanned["result"]?["isError"] == true)
    }
}
