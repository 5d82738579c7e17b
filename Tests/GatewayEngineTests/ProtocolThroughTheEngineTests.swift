import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The editors' wire protocol through the engine: handshake, identify, the client type before identify,
/// and bad input (was test_protocol.py's started-binary cases; the size cap, fragmented frames, HTTP over
/// both families and the listening addresses stay there: they need the real socket layer).
@Suite struct ProtocolThroughTheEngineTests {
    static let token = "engine-protocol-token-0123456789"

    func driver() -> EngineDriver {
        var security = SecuritySettings()
        security.token = Self.token
        let driver = EngineDriver(security: security)
        driver.initializeHost()
        return driver
    }

    func request(userAgent: String?, query: [String: String] = [:]) -> ConnectionRequest {
        ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: userAgent, queryParameters: query, bearerToken: Self.token)
    }

    @Test func handshakeThenIdentifyRegistersAReadyEditor() {
        let driver = driver()
        guard let editor = driver.connect(request(userAgent: "Godot/4.3.stable.official (Linux)")) else {
            Issue.record("refused"); return
        }
        let greeting = driver.messages(to: editor)
        #expect(greeting.count == 1)
        let handshake = greeting.first ?? .null
        #expect(handshake["type"] == "handshake" && handshake["serverVersion"] == "1.0.0")
        #expect(handshake["clientId"]?.stringValue == editor && handshake["resumeToken"]?.stringValue?.isEmpty == false)
        #expect(driver.listedClients.first?["ready"] == false)  // not before identify
        driver.clientSends(editor, [
            "type": "identify", "clientType": "godot", "clientVersion": "1.0.1", "godotVersion": "4.3.stable.official",
            "capabilities": EngineDriver.addonCapabilities,
        ])
        #expect(driver.messages(to: editor).isEmpty)  // identify is not acknowledged, as in the original protocol
        let clients = driver.listedClients
        #expect(clients.count == 1)
        let record = clients.first ?? .null
        #expect(record["clientId"]?.stringValue == editor && record["ready"] == true)
        #expect(record["type"] == "godot" && record["clientVersion"] == "1.0.1" && record["godotVersion"] == "4.3.stable.official")
        #expect(record["remoteAddress"] == "127.0.0.1")
    }

    @Test func theTypeComesFromTheUserAgentOrTheQueryBeforeIdentify() {
        let driver = driver()
        let byAgent = driver.connect(request(userAgent: "Godot/4.3.stable.official (Linux)"))
        let byQuery = driver.connect(request(userAgent: nil, query: ["type": "mcp"]))
        let plain = driver.connect(request(userAgent: "python-test"))
        var types: [String: (JSONValue?, JSONValue?)] = [:]
        for client in driver.listedClients {
            if let id = client["clientId"]?.stringValue { types[id] = (client["type"], client["ready"]) }
        }
        #expect(types.count == 3)
        #expect(types[byAgent ?? ""].map { $0 == "godot" && $1 == false } == true)
        #expect(types[byQuery ?? ""].map { $0 == "mcp" && $1 == false } == true)
        #expect(types[plain ?? ""].map { $0 == "unknown" && $1 == false } == true)
    }

    @Test func badInputGetsAnErrorAndTheConnectionStaysUp() {
        let driver = driver()
        let editor = driver.connectAddonEditor(token: Self.token)
        #expect(driver.messages(to: editor).isEmpty)
        let cases: [(String, String)] = [
            ("{not json", "malformed_json"), (#"{"type":"teleport"}"#, "unknown_type"), ("[1,2,3]", "invalid_message"),
            (#"{"type":"identify","clientType":"toaster"}"#, "invalid_message"),
        ]
        for (bad, code) in cases {
            driver.clientSendsText(editor, bad)
            let errors = driver.messages(to: editor).filter { $0["type"] == "error" }
            #expect(errors.count == 1 && errors.first?["code"]?.stringValue == code, "\(bad)")
        }
        driver.feed(.binaryMessage(client: driver.handle(of: editor), byteCount: 8))
        #expect(driver.messages(to: editor).first { $0["type"] == "error" }?["code"] == "invalid_message")
        #expect(driver.closes[editor] == nil)
        // Still connected, still ready, still routable.
        let call = driver.callTool("list_nodes", ["node_path": "/root"])
        #expect(driver.echoCommands(editor).count == 1)
        #expect(driver.toolJSON(call) == ["command": "list_nodes", "params": ["node_path": "/root"]])
        #expect(driver.connectionStats["invalidMessages"] == 5)
    }
}
