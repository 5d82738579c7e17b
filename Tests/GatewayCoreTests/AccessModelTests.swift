import Foundation
import Testing
@testable import GatewayCore

/// The access model in process: identities, rights, reloads, pools and bounds (GatewayCore+Access,
/// +Admission, IdentifyLimits). The same scenarios through the real binary: test_access_model.py.
@Suite struct AccessModelTests {
    static let shared = "shared-token-0123456789"
    static let alice = "alice-token-0123456789"
    static let bob = "bob-token-0123456789"

    func harness(_ change: (inout SecuritySettings) -> Void = { _ in }) -> CoreHarness {
        var security = SecuritySettings()
        security.token = Self.shared
        security.namedTokens = [NamedToken(name: "alice", token: Self.alice), NamedToken(name: "bob", token: Self.bob, readOnly: true)]
        change(&security)
        return CoreHarness(security: security)
    }

    func connect(_ harness: CoreHarness, token: String? = nil, cookie: String? = nil, query: [String: String] = [:],
                 address: String = "127.0.0.1", userAgent: String? = nil) -> String {
        var request = ConnectionRequest(remoteAddress: address, userAgent: userAgent, queryParameters: query, bearerToken: token)
        request.sessionCookie = cookie
        return harness.connect(request)
    }

    func closes(_ effects: [CoreEffect], _ handle: ClientHandle) -> Bool {
        effects.contains { if case .close(handle, _, _) = $0 { true } else { false } }
    }

    @Test func eachWayInGivesItsCallerAndRights() {
        let harness = harness()
        let shared = connect(harness, token: Self.shared)
        let bob = connect(harness, token: Self.bob, query: ["type": "mcp"])
        #expect(harness.core.registry[shared]?.caller == "shared" && harness.core.registry[shared]?.rights == .full)
        #expect(harness.core.registry[bob]?.caller == "bob" && harness.core.registry[bob]?.rights == .readOnly)
        let cookie = harness.core.startDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.bob)) ?? ""
        let page = connect(harness, cookie: cookie, query: ["type": "dashboard"])
        let tool = connect(harness, cookie: cookie, query: ["type": "mcp"])
        #expect(harness.core.registry[page]?.caller == "dashboard:bob" && harness.core.registry[page]?.rights == .dashboardView)
        #expect(harness.core.registry[tool]?.caller == "dashboard:bob" && harness.core.registry[tool]?.rights == .readOnly)
        var certified = ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.shared)
        certified.certificateName = "ci-runner"
        let certifiedId = harness.connect(certified)
        #expect(harness.core.registry[certifiedId]?.caller == "cert:ci-runner")
        let anonymous = connect(harness)
        #expect(harness.core.registry[anonymous]?.authenticated == false)
    }

    @Test func readOnlyCallersCannotBecomeEditorsOrRelays() {
        let harness = harness()
        let guessed = connect(harness, token: Self.bob, userAgent: "Godot/4.3")
        #expect(harness.core.registry[guessed]?.type == .unknown)  // the User-Agent guess is not taken
        harness.send(guessed, #"{"type":"identify","clientType":"godot"}"#)
        #expect(closes(harness.core.takeEffects(), harness.handle(guessed)))
        let relay = connect(harness, token: Self.bob, query: ["type": "mcp"])
        harness.send(relay, #"{"type":"identify","clientType":"mcp","relay":true}"#)
        #expect(closes(harness.core.takeEffects(), harness.handle(relay)))
        let late = connect(harness)
        harness.send(late, #"{"type":"identify","clientType":"godot","token":"\#(Self.bob)"}"#)
        #expect(closes(harness.core.takeEffects(), harness.handle(late)))
        #expect(harness.core.routableEditors.isEmpty)
    }

    @Test func aReadOnlyCallIsJudgedByTheEditorItReaches() {
        let harness = harness()
        let editor = connect(harness, token: Self.shared)
        harness.send(editor, #"{"type":"identify","clientType":"godot","capabilities":{"commands":[{"name":"a","inputSchema":{"type":"object"}},{"name":"get_scene_tree","inputSchema":{"type":"object"},"readOnly":true}]}}"#)
        _ = harness.core.takeEffects()
        var request = CommandRequest(name: "a", params: [:], target: editor)
        request.readOnlyCaller = "bob"
        harness.core.submit(request)
        #expect(harness.outcomes.last == .failure(.readOnlyCaller(caller: "bob", tool: "a", clientId: editor)))
        request.name = "get_scene_tree"  // declared read-only by this editor
        harness.core.submit(request)
        #expect(harness.core.pendingCommandCount == 1)
        request.name = "a"
        request.readsOnlyByGateway = true  // a built-in tool the gateway judges read-only
        harness.core.submit(request)
        #expect(harness.core.pendingCommandCount == 2)
    }

    @Test func aReloadJudgesOpenConnectionsBySecretAndRights() {
        let harness = harness()
        let alice = connect(harness, token: Self.alice, query: ["type": "mcp"])
        let aliceEditor = connect(harness, token: Self.alice)
        harness.send(aliceEditor, #"{"type":"identify","clientType":"godot"}"#)
        let sharedEditor = connect(harness, token: Self.shared)
        let cookie = harness.core.startDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.shared)) ?? ""
        let page = connect(harness, cookie: cookie, query: ["type": "dashboard"])
        _ = harness.core.takeEffects()
        // Demoted: the MCP socket is read-only now, the editor (which needs full rights) is closed.
        harness.core.replaceNamedTokens([NamedToken(name: "alice", token: Self.alice, readOnly: true)])
        var effects = harness.core.takeEffects()
        #expect(harness.core.registry[alice]?.rights == .readOnly && !closes(effects, harness.handle(alice)))
        #expect(closes(effects, harness.handle(aliceEditor)))
        // The same secret under another name: the name follows.
        harness.core.replaceNamedTokens([NamedToken(name: "alice2", token: Self.alice, readOnly: true)])
        #expect(harness.core.registry[alice]?.caller == "alice2")
        // A new token: the socket that presented the old one is closed.
        harness.core.replaceNamedTokens([NamedToken(name: "alice", token: "alice-new-token-0123456789")])
        #expect(closes(harness.core.takeEffects(), harness.handle(alice)))
        // The shared token rotated: its token sockets stay, its sign-ins and their sockets end.
        harness.core.replaceToken("rotated-token-0123456789")
        effects = harness.core.takeEffects()
        #expect(!closes(effects, harness.handle(sharedEditor)) && closes(effects, harness.handle(page)))
        #expect(!harness.core.hasDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", sessionCookie: cookie)))
    }

    @Test func signInsAreBoundedPerTokenOldestFirst() {
        let harness = harness()
        let request = ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.alice)
        let cookies = (0..<10).compactMap { _ in harness.core.startDashboardSession(request) }
        let live = cookies.map { harness.core.hasDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", sessionCookie: $0)) }
        #expect(live == [false, false] + Array(repeating: true, count: GatewayCore.maximumSessionsPerToken))
        harness.clock.advance(by: GatewayCore.dashboardSessionLifetime)
        #expect(!harness.core.hasDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", sessionCookie: cookies[9])))
        #expect(harness.core.startDashboardSession(ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: "wrong-token-0123456789")) == nil)
    }

    @Test func unauthenticatedSocketsHaveAPoolOfTheirOwnWhereLoopbackAliasesAreOne() {
        let harness = harness {
            $0.maxUnauthenticated = 4
            $0.maxUnauthenticatedPerGroup = 2
            $0.maxClients = 2
        }
        let first = connect(harness, address: "127.0.0.2")
        _ = connect(harness, address: "127.0.0.3")
        // A third from loopback (another alias) takes the place of the group's oldest.
        #expect(harness.core.admit(ConnectionRequest(remoteAddress: "::1"), isUpgrade: true) == .allow)
        #expect(closes(harness.core.takeEffects(), harness.handle(first)))
        // Unauthenticated sockets do not count against authenticated clients.
        _ = connect(harness, address: "::1")
        #expect(harness.core.admit(ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.alice), isUpgrade: true) == .allow)
        _ = connect(harness, token: Self.alice)
        _ = connect(harness, token: Self.alice)
        guard case .deny(503, _) = harness.core.admit(ConnectionRequest(remoteAddress: "127.0.0.1", bearerToken: Self.alice), isUpgrade: true) else {
            Issue.record("the authenticated pool is not bounded"); return
        }
        // One that authenticates in identify when the authenticated pool is full is told so and closed.
        let late = connect(harness, address: "10.0.0.7")
        harness.send(late, #"{"type":"identify","clientType":"mcp","token":"\#(Self.alice)"}"#)
        #expect(harness.core.takeEffects().contains(.close(client: harness.handle(late), code: CloseCode.tryAgainLater,
                                                           reason: "gateway full (2 clients, see --max-clients)")))
    }

    @Test func identifyIsBoundedInSizeCommandsSchemasAndNames() {
        let base = InboundMessage.Identification(clientType: .godot, details: [:])
        #expect(IdentifyLimits.problem(with: base, byteCount: 100) == nil)
        #expect(IdentifyLimits.problem(with: base, byteCount: IdentifyLimits.maximumBytes + 1)?.contains("at most") == true)
        var named = base
        named.details["projectName"] = .string(String(repeating: "P", count: 201))
        #expect(IdentifyLimits.problem(with: named, byteCount: 300)?.contains("projectName") == true)
        var versioned = base
        versioned.godotVersion = String(repeating: "4", count: 201)
        #expect(IdentifyLimits.problem(with: versioned, byteCount: 300)?.contains("godotVersion") == true)
        var many = base
        many.details["capabilities"] = ["commands": .array((0...IdentifyLimits.maximumCommands).map { ["name": .string("t\($0)")] })]
        #expect(IdentifyLimits.problem(with: many, byteCount: 300)?.contains("commands declared") == true)
        var wide = base
        wide.details["capabilities"] = ["commands": [["name": "t", "inputSchema": ["description": .string(String(repeating: "x", count: 20_000))]]]]
        #expect(IdentifyLimits.problem(with: wide, byteCount: 30_000)?.contains("input schema of t") == true)
    }

    @Test func onlyExactLoopbackHostsPass() {
        let guardian = UpgradeGuard(settings: SecuritySettings())
        for host in ["127.evil.test", "127.0.0.1.evil.test", "127.1"] {
            #expect(guardian.check(ConnectionRequest(remoteAddress: "127.0.0.1", hosts: [host])) != .allow, "\(host)")
        }
        for host in ["localhost:8765", "127.0.0.1", "[::1]:8765"] {
            #expect(guardian.check(ConnectionRequest(remoteAddress: "127.0.0.1", hosts: [host])) == .allow, "\(host)")
        }
        #expect(AddressGroup.of("127.0.0.4") == AddressGroup.of("::1") && AddressGroup.of("::ffff:127.0.0.9") == AddressGroup.loopback)
        #expect(AddressGroup.of("10.0.0.1") == "10.0.0.1")
    }

    @Test func resumeTokensGoOnlyToRelaysOfTheSameCaller() {
        let harness = harness { $0.namedTokens.append(NamedToken(name: "carol", token: "carol-token-0123456789")) }
        let editor = connect(harness, token: Self.alice)
        harness.send(editor, #"{"type":"identify","clientType":"godot","resumable":true}"#)
        let carol = connect(harness, token: "carol-token-0123456789", query: ["type": "mcp"])
        let alice = connect(harness, token: Self.alice, query: ["type": "mcp"])
        _ = harness.core.takeEffects()
        harness.send(carol, #"{"type":"identify","clientType":"mcp","relay":true}"#)
        harness.send(alice, #"{"type":"identify","clientType":"mcp","relay":true}"#)
        let effects = harness.core.takeEffects()
        func editors(sentTo id: String) -> [JSONValue] {
            effects.compactMap { effect -> [JSONValue]? in
                guard case .send(harness.handle(id), let text) = effect, let message = try? JSONValue.parse(Data(text.utf8)),
                      message["type"]?.stringValue == "resume_state" else { return nil }
                guard case .array(let editors)? = message["editors"] else { return nil }
                return editors
            }.last ?? []
        }
        #expect(editors(sentTo: carol).isEmpty)
        #expect(editors(sentTo: alice).map { $0["clientId"]?.stringValue } == [editor])
    }
}
