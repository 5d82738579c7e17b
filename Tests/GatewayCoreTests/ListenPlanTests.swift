import Testing
@testable import GatewayCore


@Suite struct ListenPlanTests {
    @Test func localhostMeansBothLoopbacksAndNeverAnIPv4LiteralWithIPv6On() {
        let plan = ListenPlan.make(host: "localhost")
        #expect(plan.listeners.map(\.interface) == ["lo", "::1"])
        #expect(plan.disableIPv6 == false)
        #expect(plan.listeners[1].optional)  // a host without IPv6 still serves 127.0.0.1
    }

    @Test func anIPv4AddressTurnsIPv6OffSoLwsBindsExactlyIt() {
        let plan = ListenPlan.make(host: "127.0.0.1")
        #expect(plan.listeners.map(\.interface) == ["127.0.0.1"])
        #expect(plan.disableIPv6)
    }

    @Test func ipv6AddressesAndWildcards() {
        #expect(ListenPlan.make(host: "[::1]").listeners.map(\.interface) == ["::1"])
        #expect(ListenPlan.make(host: "::").listeners.map(\.interface) == [nil])
        #expect(ListenPlan.make(host: "0.0.0.0") == ListenPlan(listeners: [.init(interface: nil, displayAddress: "0.0.0.0", optional: false)], disableIPv6: true))
    }
}
