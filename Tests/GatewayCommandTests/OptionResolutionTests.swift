import ArgumentParser
import Testing
@testable import godot_mcp_gateway

/// Flags and environment resolved into the configuration, as a function of both (no process started).
@Suite struct OptionResolutionTests {
    let token = ["GODOT_MCP_TOKEN": "option-test-token-0123456789"]

    func resolve(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ResolvedOptions {
        try GatewayCommand.parse(arguments).resolve(environment: token.merging(environment) { $1 })
    }

    @Test func defaultsComeFromTheConfigurationAndTheTokenFromTheEnvironment() throws {
        let resolved = try resolve([])
        #expect(resolved.configuration.port == 8765 && resolved.configuration.host == "localhost")
        #expect(resolved.configuration.security.token == "option-test-token-0123456789")
        #expect(resolved.tokenSource == "the GODOT_MCP_TOKEN variable")
        #expect(resolved.logLevel == .info)
        #expect(resolved.configuration.settings.features.contains("compression"))
    }

    @Test func aFlagWinsOverItsVariableAndAVariableOverTheDefault() throws {
        #expect(try resolve(["--port", "9000"], ["GODOT_MCP_PORT": "9100"]).configuration.port == 9000)
        #expect(try resolve([], ["GODOT_MCP_PORT": "9100"]).configuration.port == 9100)
        #expect(try resolve([], ["GODOT_MCP_PORT": ""]).configuration.port == 8765)  // empty means unset
        let origins = try resolve([], ["GODOT_MCP_ALLOW_ORIGIN": "https://a.test, https://b.test,"]).configuration.security.allowedOrigins
        #expect(origins == ["https://a.test", "https://b.test"])
        #expect(try resolve(["--routing", "least-busy"]).configuration.settings.routing == .leastBusy)
        #expect(try resolve([], ["GODOT_MCP_NO_PERMESSAGE_DEFLATE": "yes"]).configuration.permessageDeflate == false)
    }

    @Test func invalidValuesAreRefusedWithTheirName() {
        func message(_ arguments: [String], _ environment: [String: String] = [:]) -> String {
            do {
                _ = try resolve(arguments, environment)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message([], ["GODOT_MCP_PORT": "eighty"]).contains("GODOT_MCP_PORT=eighty is not valid"))
        #expect(message(["--port", "70000"]).contains("port must be 1-65535"))
        #expect(message(["--routing", "random"]).contains("unknown routing 'random'"))
        #expect(message(["--heartbeat-interval", "0"]).contains("heartbeat interval must be a positive number"))
        #expect(message(["--tls-cert", "/nonexistent.pem"]).contains("--tls-cert and --tls-key go together"))
        #expect(message(["--host", "0.0.0.0", "--no-auth"]) != "accepted")
        #expect(message(["--serve", "--upstream", "ws://example.test:8765"]).contains("exclude each other"))
        #expect(message([], ["GODOT_MCP_TOKEN": "short"]).contains("at least 16 characters"))
    }

    @Test func beyondLoopbackWithoutTLSIsRefusedUnlessInsecureWhichWarns() throws {
        let resolved = try resolve(["--host", "0.0.0.0", "--insecure"])
        #expect(resolved.configuration.security.acceptAnyHost)
        #expect(resolved.notes.contains { $0.level == .warning })
        #expect(throws: (any Error).self) { try resolve(["--host", "0.0.0.0"]) }
    }
}
