import Testing
@testable import GatewayCore

/// The registry's own deadlines: silence (heartbeats) and the time to authenticate.
@Suite struct RegistryDeadlinesTests {
    @Test func silenceAndAuthenticationTimeComeDueForTheRightClients() {
        var security = SecuritySettings()
        security.authTimeout = 5
        var registry = ClientRegistry()
        #expect(registry.nextDeadline(heartbeatTimeout: 30) == .infinity)
        registry.add(
            id: "guest", type: .godot, request: ConnectionRequest(remoteAddress: "10.0.0.1"), authenticated: false,
            security: security, now: 100, nowMs: 0)
        registry.add(
            id: "member", type: .mcp, request: ConnectionRequest(remoteAddress: "10.0.0.2"), authenticated: true,
            security: security, now: 90, nowMs: 0)
        #expect(registry.nextDeadline(heartbeatTimeout: 30) == 105)
        #expect(registry.authenticationOverdue(now: 104).isEmpty)
        #expect(registry.authenticationOverdue(now: 105).map(\.id) == ["guest"])
        // Being closed, it no longer counts for authentication; its silence still does.
        registry.update("guest") { $0.open = false }
        #expect(registry.authenticationOverdue(now: 105).isEmpty && registry.nextDeadline(heartbeatTimeout: 30) == 120)
        #expect(registry.silent(now: 120, heartbeatTimeout: 30).map(\.id) == ["member"])
        #expect(!registry.anySubscribed(to: "snapshot"))
        registry.update("member") { $0.eventSubscriptions = ["snapshot"] }
        #expect(registry.anySubscribed(to: "snapshot"))
    }
}
