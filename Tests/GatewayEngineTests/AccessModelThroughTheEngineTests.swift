import FoundationEssentials
import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// The access model (issue 23's review findings) through the engine, each as the attacker tried it (was
/// test_access_model.py's scenarios 1–3 and 5–8; the flood from loopback aliases and the dashboard in
/// Chromium over TLS stay there). A service holds alice (full rights) and bob (read-only) beside the
/// shared token; a reload is `.tokenListReplaced` / `.tokenReplaced`, as SIGHUP makes it; the audit
/// log is the engine's `.audit` actions.
@Suite struct AccessModelThroughTheEngineTests {
    static let shared = "shared-token-0123456789abcdef"
    static let alice = "alice-token-0123456789"
    static let bob = "bob-token-0123456789"
    static let setProperty: JSONValue = ["node_path": "/root/Main", "property_name": "visible", "value": false]

    func service() -> EngineDriver {
        var security = SecuritySettings()
        security.token = Self.shared
        security.namedTokens = [NamedToken(name: "alice", token: Self.alice), NamedToken(name: "bob", token: Self.bob, readOnly: true)]
        return .ready(security: security, servesHostOnStdio: false)
    }

    func request(bearer: String? = nil, cookie: String? = nil, query: [String: String] = [:]) -> ConnectionRequest {
        ConnectionRequest(remoteAddress: "127.0.0.1", userAgent: "Godot/4.3.stable.official (Linux)", queryParameters: query, bearerToken: bearer, sessionCookie: cookie)
    }

    /// An MCP session over the socket (`?type=mcp`), authenticated by a header or a cookie; it sends MCP
    /// messages without identifying first, as test_access_model.py's McpSocket did.
    struct McpSocket {
        let driver: EngineDriver
        let id: String
        var nextId: Int64 = 100

        /// The answer to the request, or the gateway's error message when it refused the message itself.
        mutating func request(_ method: String, _ params: JSONValue = [:]) -> JSONValue? {
            nextId += 1
            let id = nextId
            driver.clientSends(self.id, ["type": "mcp", "message": ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]])
            let messages = driver.messages(to: self.id)
            if let answer = messages.last(where: { $0["type"] == "mcp" && $0["message"]?["id"] == .int(id) })?["message"] { return answer }
            return messages.last { $0["type"] == "error" }.map { ["error": $0] }
        }

        /// (isError, text) of a tool call; a refused message is an error with its JSON as the text.
        mutating func call(_ tool: String, _ arguments: JSONValue = [:], answeredBy editors: [String] = []) -> (isError: Bool, text: String) {
            nextId += 1
            let id = nextId
            driver.clientSends(self.id, ["type": "mcp", "message": [
                "jsonrpc": "2.0", "id": .int(id), "method": "tools/call", "params": ["name": .string(tool), "arguments": arguments],
            ]])
            for editor in editors { driver.echoCommands(editor) }
            let messages = driver.messages(to: self.id)
            if let result = messages.last(where: { $0["type"] == "mcp" && $0["message"]?["id"] == .int(id) })?["message"]?["result"],
               case .array(let content)? = result["content"] {
                return (result["isError"]?.boolValue ?? false, content.first?["text"]?.stringValue ?? "")
            }
            return (true, messages.last { $0["type"] == "error" }?.jsonText ?? "no answer")
        }

        func clients() -> [JSONValue] {
            var copy = self
            guard case .array(let clients)? = (try? JSONValue.parse(Data(copy.call("list_clients").text.utf8)))?["clients"] else { return [] }
            return clients
        }
    }

    func mcpSocket(_ driver: EngineDriver, bearer: String? = nil, cookie: String? = nil) -> McpSocket? {
        guard let id = driver.connect(request(bearer: bearer, cookie: cookie, query: ["type": "mcp"])) else { return nil }
        #expect(driver.messages(to: id).first?["type"] == "handshake")
        return McpSocket(driver: driver, id: id)
    }

    /// POST /session with the token: the cookie's value.
    func signIn(_ driver: EngineDriver, _ token: String) -> String? {
        guard let answer = driver.http("/session", post: true, request(bearer: token)), answer.status == 200,
              let header = answer.headers.first(where: { $0.name == "set-cookie:" }) else { return nil }
        return header.value.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init)
    }

    /// Whether GET / with the cookie shows the sign-in form (not the dashboard).
    func showsSignIn(_ driver: EngineDriver, cookie: String?) -> Bool {
        let answer = driver.http("/", request(cookie: cookie))
        return answer?.status == 200 && String(decoding: answer?.body ?? [], as: UTF8.self).contains(#"id="token""#)
    }

    func audited(_ driver: EngineDriver, _ event: String) -> [[String: JSONValue]] {
        driver.auditRecords.filter { $0["event"]?.stringValue == event }
    }

    func commandNames(_ driver: EngineDriver, _ editor: String) -> [String] {
        driver.commands(to: editor).compactMap { $0["command"]?.stringValue }
    }

    // 1. A cookie carries the identity and rights of the token it came from, and ends with it.
    @Test func aSignInCookieHasItsTokensRightsAndDiesWithTheToken() throws {
        let driver = service()
        let editor = driver.connectAddonEditor(token: Self.alice)
        let bobCookie = try #require(signIn(driver, Self.bob))
        let signInRecord = audited(driver, "dashboard_sign_in").last
        #expect(signInRecord?["caller"] == "bob" && signInRecord?["rights"] == "read-only")
        var bob = try #require(mcpSocket(driver, cookie: bobCookie))
        let refused = bob.call("set_node_property", Self.setProperty)
        #expect(refused.isError && refused.text.contains("dashboard:bob may only use tools that read"))
        #expect(!commandNames(driver, editor).contains("set_node_property"))
        let callers = bob.clients().map { ($0["caller"]?.stringValue, $0["rights"]?.stringValue) }
        #expect(callers.contains { $0 == "dashboard:bob" && $1 == "read-only" })
        let call = audited(driver, "tool_call").last { $0["tool"] == "set_node_property" }
        #expect(call?["caller"] == "dashboard:bob" && call?["outcome"] == "read_only_caller")
        // Bob is removed: his cookie socket is closed, his cookie no longer signs in or opens a socket.
        driver.feed(.tokenListReplaced([NamedToken(name: "alice", token: Self.alice)]))
        #expect(driver.closes[bob.id]?.code == 1008)
        #expect(showsSignIn(driver, cookie: bobCookie))
        var stale = try #require(mcpSocket(driver, cookie: bobCookie))
        let staleCall = stale.call("list_clients")
        #expect(staleCall.isError && staleCall.text.contains("unauthenticated"))
        // A cookie made with the shared token ends when the shared token is rotated.
        let sharedCookie = try #require(signIn(driver, Self.shared))
        #expect(!showsSignIn(driver, cookie: sharedCookie))
        driver.feed(.tokenReplaced("rotated-shared-token-0123456789"))
        #expect(showsSignIn(driver, cookie: sharedCookie))
        #expect(driver.closes[editor] == nil)  // alice's editor is not touched by either change
    }

    // 2. A read-only person can neither become an editor nor make a tool read-only for others.
    @Test func aReadOnlyCallerCannotBeAnEditorAndHintsComeFromTheTarget() throws {
        let driver = service()
        let forger = driver.connect(request()) ?? ""
        driver.clientSends(forger, ["type": "identify", "clientType": "godot", "token": .string(Self.bob), "capabilities": EngineDriver.addonCapabilities])
        #expect(driver.closes[forger]?.code == 1008)
        #expect(audited(driver, "role_refused").last?["caller"] == "bob")
        // A full-rights editor that declares an editing tool read-only changes nothing: the gateway judges
        // its own tools, and declared tools are judged by the editor each call reaches.
        func tool(_ name: String, readOnly: Bool) -> JSONValue {
            ["name": .string(name), "description": "x", "inputSchema": ["type": "object", "properties": [:]], "readOnly": .bool(readOnly)]
        }
        guard case .array(let addon)? = EngineDriver.addonCapabilities["commands"] else { Issue.record("no addon commands"); return }
        let real = driver.connectEditor(token: Self.alice, identity: ["capabilities": ["commands": .array(addon + [tool("custom_tool", readOnly: false)])]], commands: nil)
        let liar = driver.connectEditor(
            token: Self.shared, identity: ["capabilities": ["commands": [tool("set_node_property", readOnly: true), tool("custom_tool", readOnly: true)]]],
            commands: nil)
        driver.advance(by: 0.25)  // the tool list follows the editors after a short debounce
        var alice = try #require(mcpSocket(driver, bearer: Self.alice))
        #expect(alice.clients().filter { $0["ready"] == true }.count == 2)
        guard case .array(let listed)? = alice.request("tools/list")?["result"]?["tools"] else { Issue.record("no tools"); return }
        let hints = Dictionary(listed.compactMap { tool in tool["name"]?.stringValue.map { ($0, tool["annotations"]?["readOnlyHint"]) } }) { first, _ in first }
        #expect(hints["set_node_property"] == false)
        #expect(hints["custom_tool"] == false)  // the most careful of the two
        var bob = try #require(mcpSocket(driver, bearer: Self.bob))
        let throughLiar = bob.call("set_node_property", ["node_path": "/root/Main", "property_name": "visible", "value": false, "client": .string(liar)])
        #expect(throughLiar.isError && throughLiar.text.contains("bob may only use tools that read"))
        let onReal = bob.call("custom_tool", ["client": .string(real)])
        #expect(onReal.isError && onReal.text.contains("custom_tool changes the project"))
        #expect(driver.commands(to: real).isEmpty && driver.commands(to: liar).isEmpty)
        let onLiar = bob.call("custom_tool", ["client": .string(liar)], answeredBy: [liar])
        #expect(!onLiar.isError, "the editor it reaches declares it read-only: \(onLiar.text)")
    }

    // 3. Changing or demoting a person's token applies to their open connections.
    @Test func aChangedOrDemotedTokenAppliesToOpenConnections() throws {
        let driver = service()
        let editor = driver.connectAddonEditor(token: Self.shared)
        var alice = try #require(mcpSocket(driver, bearer: Self.alice))
        #expect(alice.clients().contains { $0["ready"] == true })
        #expect(alice.call("set_node_property", Self.setProperty, answeredBy: [editor]).isError == false)
        // Demoted with the same token: the open socket becomes read-only at once.
        driver.feed(.tokenListReplaced([
            NamedToken(name: "alice", token: Self.alice, readOnly: true), NamedToken(name: "bob", token: Self.bob, readOnly: true),
        ]))
        let refused = alice.call("set_node_property", Self.setProperty, answeredBy: [editor])
        #expect(refused.isError && refused.text.contains("alice may only use tools that read"))
        #expect(audited(driver, "rights_changed").last?["to"] == "read-only")
        // Given a new token: the socket that presented the old one is closed.
        driver.feed(.tokenListReplaced([
            NamedToken(name: "alice", token: "alice-new-token-0123456789", readOnly: true), NamedToken(name: "bob", token: Self.bob, readOnly: true),
        ]))
        #expect(driver.closes[alice.id]?.code == 1008)
        // An editor whose person is demoted stops being an editor.
        let demoted = driver.connectAddonEditor(token: "alice-new-token-0123456789")
        #expect(driver.closes[demoted]?.code == 1008)
        #expect(driver.closes[editor] == nil)
    }

    // 5. What an editor declares and names is bounded.
    @Test func oversizedDeclarationsAndNamesAreRefusedWithTheReason() throws {
        let driver = service()
        // Written as text: building 1.2 MB as JSONValue in a debug build costs seconds the gateway does not.
        let schema = #"{"type":"object","properties":{"# + (0..<560).map { #""p\#($0)":{"type":"string","description":"\#(String(repeating: "x", count: 20))"}"# }
            .joined(separator: ",") + "}}"
        // 40 commands of 560 properties each, ~1.2 MB (the review sent 256 of them, 14.4 MB: the bound is the same).
        let huge = #"{"commands":["# + (0..<40).map { #"{"name":"tool_\#($0)","description":"d","inputSchema":\#(schema)}"# }.joined(separator: ",") + "]}"
        let many = #"{"commands":["# + (0..<129).map { #"{"name":"t\#($0)","inputSchema":{"type":"object"}}"# }.joined(separator: ",") + "]}"
        let addon = EngineDriver.addonCapabilities.jsonText
        /// The identify's own fields, as text.
        let cases: [(String, String)] = [
            (#""capabilities":\#(huge)"#, "bytes; at most"),
            (#""capabilities":\#(many)"#, "129 commands declared"),
            (#""capabilities":{"commands":[{"name":"t","inputSchema":\#(schema)}]}"#, "input schema of t exceeds"),
            (#""capabilities":\#(addon),"projectName":"\#(String(repeating: "P", count: 1_000_000))""#, "bytes; at most"),
            (#""capabilities":\#(addon),"projectName":"\#(String(repeating: "P", count: 201))""#, "projectName is longer than 200"),
        ]
        var alice = try #require(mcpSocket(driver, bearer: Self.alice))
        let baseline = alice.request("tools/list")?["result"]?.jsonText.count
        for (fields, reason) in cases {
            let editor = driver.connect(request(bearer: Self.alice)) ?? ""
            _ = driver.messages(to: editor)
            driver.clientSendsText(editor, #"{"type":"identify","clientType":"godot","clientVersion":"1.0.1",\#(fields)}"#)
            let error = driver.messages(to: editor).first { $0["type"] == "error" }
            #expect(error?["code"] == "identify_refused" && error?["error"]?.stringValue?.contains(reason) == true, "\(reason): \(String(describing: error))")
            #expect(!alice.clients().contains { $0["clientId"]?.stringValue == editor && $0["ready"] == true })
            driver.clientCloses(editor, code: 1000)
        }
        driver.advance(by: 0.25)
        #expect(alice.request("tools/list")?["result"]?.jsonText.count == baseline)
        #expect(audited(driver, "identify_refused").count == cases.count)
    }

    // 6. Sign-in sessions are bounded per token: the oldest ends when a new one would pass the bound.
    @Test func signInsAreBoundedPerToken() {
        let driver = service()
        let cookies = (0..<20).map { _ in signIn(driver, Self.alice) }
        #expect(cookies.allSatisfy { $0 != nil })
        #expect(cookies.map { !showsSignIn(driver, cookie: $0) } == Array(repeating: false, count: 12) + Array(repeating: true, count: 8))
        #expect(!showsSignIn(driver, cookie: signIn(driver, Self.bob)))  // others unaffected
    }

    // 7. Only exact loopback names pass the Host check.
    @Test func hostsThatMerelyStartWith127AreRefused() {
        let driver = service()
        func status(_ path: String, host: String) -> UInt32? {
            driver.http(path, ConnectionRequest(remoteAddress: "127.0.0.1", hosts: [host]))?.status
        }
        for host in ["127.evil.test", "127.0.0.1.evil.test", "127.1"] {
            #expect(status("/health", host: host) == 403, "\(host)")
            #expect(status("/", host: "\(host):8765") == 403, "\(host)")
        }
        for host in ["127.0.0.1", "localhost:8765", "[::1]:8765"] {
            #expect(status("/health", host: host) == 200, "\(host)")
        }
    }

    // 8. Resume tokens reach only relays acting for the editors' owner; read-only callers relay nothing.
    @Test func resumeTokensGoOnlyToRelaysOfTheSameCaller() {
        let driver = service()
        driver.feed(.tokenListReplaced([
            NamedToken(name: "alice", token: Self.alice), NamedToken(name: "bob", token: Self.bob, readOnly: true),
            NamedToken(name: "carol", token: "carol-token-0123456789"),
        ]))
        let editor = driver.connectAddonEditor(token: Self.alice, identity: ["resumable": true])
        /// A relaying gateway's connection: the editors its resume_state named, or how it was closed.
        func relay(_ token: String) -> (editors: [JSONValue], closeCode: UInt16?) {
            let id = driver.connect(request(bearer: token, query: ["type": "mcp"])) ?? ""
            driver.clientSends(id, ["type": "identify", "clientType": "mcp", "clientVersion": "t", "relay": true])
            driver.advance(by: 2)
            if case .array(let editors)? = driver.messages(to: id).first(where: { $0["type"] == "resume_state" })?["editors"] { return (editors, nil) }
            return ([], driver.closes[id]?.code)
        }
        let alices = relay(Self.alice)
        #expect(alices.editors.compactMap { $0["clientId"]?.stringValue } == [editor])
        #expect(alices.editors.first?["resumeToken"]?.stringValue?.isEmpty == false)
        #expect(relay("carol-token-0123456789").editors.isEmpty)
        let bobs = relay(Self.bob)
        #expect(bobs.editors.isEmpty && bobs.closeCode == 1008)
    }
}
