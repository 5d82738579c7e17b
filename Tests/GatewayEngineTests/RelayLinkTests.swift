import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// A relaying process (its host's calls go through another gateway): when the link breaks, what the
/// host sent through it ends with that event's own actions — not with whatever event comes next,
/// which on a quiet gateway can be a heartbeat half a minute later.
@Suite struct RelayLinkTests {
    static let meta: JSONValue = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
    ]

    @Test func aBrokenLinkEndsTheHostsCallsAndStreamsAtOnce() {
        let driver = EngineDriver()
        var relayed: [JSONValue] = []
        driver.engine.host?.relay = { message in relayed.append(message); return true }
        let call = driver.hostRequest("tools/call", ["_meta": Self.meta, "name": "get_scene_tree", "arguments": [:]])
        let stream = driver.hostRequest("subscriptions/listen", ["_meta": Self.meta, "notifications": ["toolsListChanged": true]])
        #expect(relayed.count == 2 && driver.hostResponse(call) == nil)
        let actions = driver.feed(.ownerGatewayLost)
        #expect(actions.contains { if case .writeHost = $0 { true } else { false } })
        #expect(driver.toolResult(call)?.isError == true)
        #expect(driver.hostNotifications("notifications/cancelled").contains { $0["params"]?["requestId"] == .int(Int64(stream)) })
    }
}
