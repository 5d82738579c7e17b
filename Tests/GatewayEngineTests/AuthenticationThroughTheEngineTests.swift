import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// Checks that need no socket, from test_security.py, through the engine: the token presented in
/// `identify` (as the addon does), the drop of a client that stays silent past the auth timeout, the
/// per-address limit, and the tool arguments checked before anything is forwarded.
@Suite struct AuthenticationThroughTheEngineTests {
    static let token = "engine-auth-token-0123456789"

    /// A connection without a token in its upgrade request (it may present one in identify).
    func connectWithoutToken(_ driver: EngineDriver) -> String {
        let id = driver.connect(ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3.stable.official (Linux)")) ?? "refused"
        #expect(driver.messages(to: id).first?["type"] == "handshake")
        return id
    }

    func identify(_ driver: EngineDriver, _ id: String, token: String?) {
        var identify: [String: JSONValue] = ["type": "identify", "clientType": "godot", "capabilities": EngineDriver.addonCapabilities]
        if let token { identify["token"] = .string(token) }
        driver.clientSends(id, .object(identify))
    }

    func isReady(_ driver: EngineDriver, _ id: String) -> Bool {
        driver.listedClients.contains { $0["clientId"]?.stringValue == id && $0["ready"] == true }
    }

    @Test func aMissingOrWrongTokenInIdentifyIsRefusedAndSilenceIsDropped() {
        var security = SecuritySettings()
        security.token = Self.token
        security.authTimeout = 0.5
        let driver = EngineDriver.ready(security: security)

        let wrong = connectWithoutToken(driver)
        identify(driver, wrong, token: "not-the-token-at-all")
        // The addon shows "the gateway refused the token" on this code and reason.
        #expect(driver.closes[wrong]?.code == 1008 && driver.closes[wrong]?.reason.contains("authentication") == true)
        #expect(driver.messages(to: wrong).first { $0["type"] == "error" }?["code"] == "unauthenticated")

        let right = connectWithoutToken(driver)
        identify(driver, right, token: Self.token)
        #expect(isReady(driver, right) && driver.closes[right] == nil)
        driver.clientCloses(right, code: 1000)

        let missing = connectWithoutToken(driver)
        identify(driver, missing, token: nil)
        #expect(driver.closes[missing]?.code == 1008)

        let silent = connectWithoutToken(driver)
        driver.clientSends(silent, ["type": "heartbeat_response", "timestamp": 1])
        #expect(driver.messages(to: silent).first { $0["type"] == "error" }?["code"] == "unauthenticated")
        #expect(driver.closes[silent] == nil)  // told, then dropped at the auth timeout
        driver.advance(by: 0.6)  // past the auth timeout
        #expect(driver.closes[silent]?.code == 1008)
        #expect(driver.messages(to: silent).allSatisfy { $0["type"] != "heartbeat" && $0["command"] == nil })

        let good = connectWithoutToken(driver)
        identify(driver, good, token: Self.token)
        let call = driver.callTool("get_scene_tree")
        #expect(driver.echoCommands(good).count == 1)
        #expect(driver.toolJSON(call)?["command"] == "get_scene_tree")
    }

    @Test func thePerAddressLimitRefusesTheNextConnectionAndLeavesTheOthersWorking() {
        var security = SecuritySettings()
        security.token = Self.token
        security.maxClientsPerAddress = 3
        let driver = EngineDriver.ready(security: security)
        let editors = (0..<3).map { _ in driver.connectAddonEditor(token: Self.token) }
        let request = ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3", bearerToken: Self.token)
        guard case .admitted(.deny(let status, _))? = driver.feed(.requestArrived(request, upgrade: true)).first else {
            Issue.record("a fourth connection from the address was admitted"); return
        }
        #expect(status == 429)
        #expect(editors.allSatisfy { isReady(driver, $0) })
        let call = driver.callTool("get_scene_tree")
        #expect(driver.echoCommands(editors[0]).count == 1)
        #expect(driver.toolJSON(call)?["command"] == "get_scene_tree")
        driver.clientCloses(editors[2], code: 1000)
        #expect(driver.listedClients.count == 2)
        let replacement = driver.connect(request)
        #expect(replacement != nil)
    }

    @Test func toolArgumentsAreCheckedBeforeForwarding() {
        let driver = EngineDriver.ready()
        let editor = driver.connectAddonEditor()
        let cases: [(String, JSONValue, String)] = [
            ("get_node_properties", ["node_path": 5], "arguments.node_path must be a string"),
            ("get_node_properties", [:], "arguments.node_path is required"),
            ("open_scene", ["path": "res://../../etc/passwd.tscn"], "'..'"),
            ("create_script", ["path": "/home/user/.bashrc"], "must start with res://"),
            ("list_nodes", ["node_path": "/root", "sneaky": true], "unknown field 'sneaky'"),
        ]
        for (tool, arguments, expected) in cases {
            let call = driver.callTool(tool, arguments)
            let result = driver.toolResult(call)
            #expect(result?.isError == true && result?.text.contains(expected) == true, "\(tool): \(String(describing: result))")
        }
        #expect(driver.commands(to: editor).isEmpty, "nothing invalid may reach the editor")
    }
}
