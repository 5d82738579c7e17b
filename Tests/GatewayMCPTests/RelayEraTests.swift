import Foundation
import Logging
import Testing
@testable import GatewayCore
@testable import GatewayMCP
import GatewaySystem

/// A relaying process (its host served by the gateway that owns the port): what it passes on, what it
/// answers itself, and how it ends what the link carried when the link breaks.
@Suite struct RelayEraTests {
    final class Output {
        var lines: [JSONValue] = []
        var relayed: [JSONValue] = []
    }

    let output = Output()
    let dispatcher: MCPDispatcher
    static let meta = ModernEraTests.meta

    init() {
        let output = output
        let core = GatewayCore(
            settings: GatewaySettings(), security: SecuritySettings(), clock: SystemClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), makeID: RandomUUID.make)
        dispatcher = MCPDispatcher(
            core: core, maxLineSize: 1 << 20, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            audit: nil, hash: { _ in "" }, toolsets: ["scene"],
            write: { line in output.lines.append((try? JSONParser.parse(bytes: line)) ?? "unparsable") })
        dispatcher.relay = { message in output.relayed.append(message); return true }
    }

    private func send(_ text: String) {
        output.lines.removeAll()
        output.relayed.removeAll()
        dispatcher.handle(.message(Array(text.utf8)))
    }

    @Test func modernRequestsGoAsTheyCameAndDiscoverIsAnsweredHere() {
        send(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{\#(Self.meta)}}"#)
        #expect(output.lines.isEmpty)
        #expect(output.relayed.first?["params"]?["_meta"]?["io.modelcontextprotocol/protocolVersion"] == "2026-07-28")
        send(#"{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{\#(Self.meta)}}"#)
        #expect(output.relayed.isEmpty && output.lines.first?["result"]?["supportedVersions"] != nil)
        // A bad version is refused here, before the link.
        send(#"{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"1"}}}"#)
        #expect(output.relayed.isEmpty && output.lines.first?["error"]?["code"] == -32022)
    }

    @Test func theToolsetToolsAreAnsweredHereAndTheOwnerIsTold() {
        #expect(dispatcher.relaySetupMessages.last?["params"]?["toolsets"] == ["scene"])
        send(#"{"jsonrpc":"2.0","id":"s","method":"subscriptions/listen","params":{\#(Self.meta),"notifications":{"toolsListChanged":true}}}"#)
        #expect(output.relayed.count == 1 && output.lines.isEmpty)  // the owner acknowledges it
        send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{\#(Self.meta),"name":"enable_toolset","arguments":{"toolset":"files"}}}"#)
        #expect(output.relayed.first?["method"] == "godot-mcp/toolsets")
        #expect(output.relayed.first?["params"]?["toolsets"] == ["files", "scene"])
        #expect(output.lines.contains { $0["id"] == 4 && $0["result"]?["resultType"] == "complete" })
        // The relayed stream hears the change this process made.
        #expect(output.lines.contains {
            $0["method"] == "notifications/tools/list_changed" && $0["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "s"
        })
    }

    @Test func aBrokenLinkEndsCallsWithResultsAndStreamsWithCancellation() {
        send(#"{"jsonrpc":"2.0","id":"s","method":"subscriptions/listen","params":{\#(Self.meta),"notifications":{"toolsListChanged":true}}}"#)
        send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{\#(Self.meta),"name":"get_scene_tree","arguments":{}}}"#)
        send(#"{"jsonrpc":"2.0","id":6,"method":"resources/list","params":{\#(Self.meta)}}"#)
        #expect(dispatcher.callsInProgress == 2)  // the stream does not hold the process open
        output.lines.removeAll()
        dispatcher.relayLost()
        #expect(output.lines.contains { $0["id"] == 5 && $0["result"]?["isError"] == true && $0["result"]?["resultType"] == "complete" })
        #expect(output.lines.contains { $0["id"] == 6 && $0["error"]?["code"] == -32603 })
        #expect(output.lines.contains { $0["method"] == "notifications/cancelled" && $0["params"]?["requestId"] == "s" })
        #expect(dispatcher.callsInProgress == 0)
    }

    @Test func theHostCancellingARelayedStreamTellsTheOwner() {
        send(#"{"jsonrpc":"2.0","id":"s","method":"subscriptions/listen","params":{\#(Self.meta),"notifications":{}}}"#)
        send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"s"}}"#)
        #expect(output.relayed.first?["method"] == "notifications/cancelled")
        output.lines.removeAll()
        dispatcher.relayLost()
        #expect(output.lines.isEmpty)
    }
}
