import Foundation
import Testing
@testable import GatewayCore

@Suite struct UpgradeGuardTests {
    let guardian = UpgradeGuard(settings: {
        var settings = SecuritySettings()
        settings.allowedOrigins = ["https://studio.example"]
        settings.allowedHosts = ["gateway.studio.example"]
        return settings
    }())

    func request(origins: [String] = [], hosts: [String] = ["localhost:8765"], site: String? = nil) -> ConnectionRequest {
        ConnectionRequest(remoteAddress: "127.0.0.1", origins: origins, hosts: hosts, secFetchSite: site)
    }

    @Test func godotAndToolsSendNoOriginAndPass() {
        #expect(guardian.check(request()) == .allow)
        #expect(guardian.check(request(hosts: ["127.0.0.1:8765"])) == .allow)
        #expect(guardian.check(request(hosts: ["[::1]:8765"])) == .allow)
    }

    @Test func foreignAndNullOriginsAreRefused() {
        #expect(guardian.check(request(origins: ["https://evil.example"])) != .allow)
        #expect(guardian.check(request(origins: ["null"])) != .allow)
        #expect(guardian.check(request(origins: ["https://STUDIO.example"])) == .allow)
    }

    @Test func crossSiteFetchMetadataIsRefused() {
        #expect(guardian.check(request(site: "cross-site")) == .deny(status: 403, reason: "cross-site request refused (Sec-Fetch-Site: cross-site)"))
        #expect(guardian.check(request(site: "same-site")) != .allow)
        #expect(guardian.check(request(site: "none")) == .allow)
    }

    @Test func dnsRebindingHostsAndDuplicatesAreRefused() {
        #expect(guardian.check(request(hosts: ["attacker.example:8765"])) != .allow)
        #expect(guardian.check(request(hosts: ["gateway.studio.example:443"])) == .allow)
        #expect(guardian.check(request(hosts: ["localhost", "evil.example"])) == .deny(status: 400, reason: "duplicate Host header"))
        #expect(guardian.check(request(origins: ["https://studio.example", "https://evil.example"])) != .allow)
        #expect(guardian.check(request(hosts: [])) == .deny(status: 400, reason: "missing Host header"))
    }

    @Test func portsAreStrippedCorrectly() {
        #expect(UpgradeGuard.stripPort("example.org:80") == "example.org")
        #expect(UpgradeGuard.stripPort("[::1]:8765") == "[::1]")
        #expect(UpgradeGuard.stripPort("::1") == "::1")
    }
}

@Suite struct TokenTests {
    @Test func comparisonIsExact() {
        #expect(AccessToken.matches("secret-token-123456", "secret-token-123456"))
        #expect(!AccessToken.matches("secret-token-123457", "secret-token-123456"))
        #expect(!AccessToken.matches("secret-token-12345", "secret-token-123456"))
        #expect(!AccessToken.matches("", "secret-token-123456"))
    }
}

@Suite struct LimitTests {
    @Test func tokenBucketRefillsAtItsRate() {
        var bucket = TokenBucket(rate: 10, burst: 2, now: 0)
        let steps: [(amount: Double, now: Double)] = [(1, 0), (1, 0), (1, 0), (1, 0.05), (1, 0.11), (2, 100), (1, 100)]
        let granted = steps.map { bucket.take($0.amount, now: $0.now) }
        // Two from the burst, then empty; 0.11 s refills one; a long pause refills only up to the burst.
        #expect(granted == [true, true, false, false, true, true, false])
    }

    @Test func nestingIsMeasuredWithoutParsing() {
        #expect(NestingDepth.isWithin(Array(#"{"a":[[1],{"b":"[[[[[["}]}"#.utf8), limit: 3))
        #expect(!NestingDepth.isWithin(Array(String(repeating: "[", count: 100_000).utf8), limit: 64))
        #expect(NestingDepth.isWithin(Array(#"["\"[[[[["]"#.utf8), limit: 1))
        // Around the length at which a text could nest deeper than the limit at all.
        for limit in [1, 2, 64] {
            #expect(NestingDepth.isWithin(Array(String(repeating: "[", count: limit).utf8), limit: limit))
            #expect(!NestingDepth.isWithin(Array(String(repeating: "[", count: limit + 1).utf8), limit: limit))
            #expect(!NestingDepth.isWithin(Array(String(repeating: "{", count: limit + 1).utf8), limit: limit))
        }
    }

    @Test func deepMessagesAreRefusedBeforeDecoding() {
        guard case .failure(let error) = InboundMessage.decode(Array((String(repeating: "[", count: 200_000)).utf8)) else {
            Issue.record("accepted"); return
        }
        #expect(error.description.contains("nests deeper"))
    }

    @Test func exposureNeedsTLSAndAuthentication() throws {
        #expect(try ExposurePolicy.check(host: "localhost", tls: false, authentication: true, insecure: false).isEmpty)
        #expect(throws: ExposurePolicy.Violation.self) { try ExposurePolicy.check(host: "0.0.0.0", tls: false, authentication: true, insecure: false) }
        #expect(throws: ExposurePolicy.Violation.self) { try ExposurePolicy.check(host: "0.0.0.0", tls: true, authentication: false, insecure: true) }
        #expect(try ExposurePolicy.check(host: "0.0.0.0", tls: true, authentication: true, insecure: false).isEmpty)
        #expect(try ExposurePolicy.check(host: "10.1.2.3", tls: false, authentication: true, insecure: true).count == 1)
        #expect(try ExposurePolicy.check(host: "127.0.0.1", tls: false, authentication: false, insecure: false).count == 1)
    }
}

@Suite struct AuthenticationTests {
    func harness(token: String = "the-right-token-123") -> CoreHarness {
        var security = SecuritySettings()
        security.token = token
        security.authTimeout = 5
        return CoreHarness(security: security)
    }

    @Test func unauthenticatedClientsCanOnlyIdentify() {
        let harness = harness()
        let id = harness.connect(userAgent: "Godot/4.3")
        _ = harness.sent(to: id)
        harness.send(id, #"{"type":"heartbeat","timestamp":1}"#)
        #expect(harness.sent(to: id).first?["code"] == "unauthenticated")
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.noGodotClient))
        harness.clock.advance(by: 30)
        harness.core.tick()
        let heartbeats = harness.sent(to: id).filter { $0["type"] == "heartbeat" }
        #expect(heartbeats.isEmpty)
    }

    @Test func theRightTokenInIdentifyAuthenticates() {
        let harness = harness()
        let id = harness.connect()
        harness.send(id, #"{"type":"identify","clientType":"godot","token":"the-right-token-123"}"#)
        #expect(harness.core.registry[id]?.isRoutable == true)
        #expect(harness.core.registry[id]?.details["token"] == nil)
    }

    @Test func aWrongTokenClosesWith1008() {
        let harness = harness()
        let id = harness.connect()
        _ = harness.core.takeEffects()
        harness.send(id, #"{"type":"identify","clientType":"godot","token":"guess"}"#)
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(id), code: CloseCode.policyViolation, reason: "authentication failed")))
        #expect(harness.core.registry[id]?.ready == false)
    }

    @Test func silenceUntilTheAuthTimeoutCloses() {
        let harness = harness()
        let id = harness.connect()
        harness.clock.advance(by: 4.9)
        harness.core.tick()
        #expect(!harness.core.takeEffects().contains { if case .close = $0 { true } else { false } })
        harness.clock.advance(by: 0.1)
        harness.core.tick()
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(id), code: CloseCode.policyViolation, reason: "authentication timeout")))
    }

    @Test func aBearerTokenAuthenticatesAtConnectAndAWrongOneIsRefusedAtUpgrade() {
        let harness = harness()
        let good = ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: "the-right-token-123")
        let bad = ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: "nope")
        #expect(harness.core.admit(good, isUpgrade: true) == .allow)
        #expect(harness.core.admit(bad, isUpgrade: true) == .deny(status: 401, reason: "invalid token"))
        let id = harness.connect(good)
        #expect(harness.core.registry[id]?.authenticated == true)
    }

    @Test func perAddressAndTotalLimitsApplyAtUpgrade() {
        var security = SecuritySettings()
        security.maxClientsPerAddress = 2
        security.maxClients = 3
        let harness = CoreHarness(security: security)
        let local = ConnectionRequest(remoteAddress: "127.0.0.1")
        _ = harness.core.connect(local)
        _ = harness.core.connect(local)
        #expect(harness.core.admit(local, isUpgrade: true) == .deny(status: 429, reason: "too many connections from 127.0.0.1 (see --max-clients-per-ip)"))
        let other = ConnectionRequest(remoteAddress: "::1")
        #expect(harness.core.admit(other, isUpgrade: true) == .allow)
        _ = harness.core.connect(other)
        guard case .deny(503, _) = harness.core.admit(ConnectionRequest(remoteAddress: "10.0.0.9"), isUpgrade: true) else {
            Issue.record("not refused as full"); return
        }
        #expect(harness.core.statistics.connectionsRejected == 2)
    }

    @Test func floodsAreDroppedThenClosed() {
        var security = SecuritySettings()
        security.messagesPerSecond = 10
        security.messageBurst = 10
        security.abuseLimit = 5
        let harness = CoreHarness(security: security)
        let flooder = harness.connectEditor()
        _ = harness.core.takeEffects()
        // identify took 1 of the burst of 10: 9 pass, then 4 violations, one short of the limit.
        for _ in 0..<13 { harness.send(flooder, #"{"type":"heartbeat_response"}"#) }
        let effects = harness.core.takeEffects()
        #expect(effects.contains { if case .send(_, let text) = $0 { text.contains("rate_limited") } else { false } })
        #expect(!effects.contains { if case .close = $0 { true } else { false } })
        harness.send(flooder, #"{"type":"heartbeat_response"}"#)
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(flooder), code: CloseCode.policyViolation, reason: "rate limit exceeded")))
    }

    @Test func inFlightCommandsAreCapped() {
        var security = SecuritySettings()
        security.maxCommandsInFlight = 2
        let harness = CoreHarness(security: security)
        harness.connectEditor()
        for _ in 0..<3 { harness.submit("get_scene_tree") }
        #expect(harness.outcomes.all == [.failure(.tooManyCommands(limit: 2))])
    }
}

@Suite struct RateLimitExemptionTests {
    @Test func answersToPendingCommandsAreNeverThrottled() {
        var security = SecuritySettings()
        security.messagesPerSecond = 1
        security.messageBurst = 2
        security.maxCommandsInFlight = 100
        let harness = CoreHarness(security: security)
        let editor = harness.connectEditor()  // identify spends one of the burst of two
        _ = harness.core.takeEffects()
        var ids: [String] = []
        for _ in 0..<10 {
            harness.submit("get_scene_tree")
            if let id = harness.lastCommandId(sentTo: editor) { ids.append(id) }
        }
        for id in ids { harness.send(editor, #"{"id":"\#(id)","success":true,"result":1}"#) }
        #expect(harness.outcomes.all.count == 10)
        #expect(harness.outcomes.all.allSatisfy { $0 == .success(result: 1, clientId: editor) })
        // Anything else is still limited: one more token, then drops.
        harness.send(editor, #"{"type":"heartbeat_response"}"#)
        harness.send(editor, #"{"type":"heartbeat_response"}"#)
        #expect(harness.core.statistics.rateLimited == 1)
    }
}

@Suite struct ImpersonationTests {
    @Test func anMCPClientCannotPoseAsAnEditor() {
        let harness = CoreHarness()
        let client = harness.connect(query: ["type": "mcp"])
        harness.send(client, #"{"type":"identify","clientType":"godot"}"#)
        #expect(harness.sent(to: client).contains { $0["type"] == "error" })
        #expect(harness.core.registry[client]?.type == .mcp)
        harness.submit("get_scene_tree")
        #expect(harness.outcomes.last == .failure(.noGodotClient))
    }
}
