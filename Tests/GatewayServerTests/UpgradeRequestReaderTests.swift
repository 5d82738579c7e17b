import Testing
@testable import GatewayCore
@testable import GatewayServer

/// What the gateway makes of a request's headers, as lws hands them over (no socket needed).
@Suite struct UpgradeRequestReaderTests {
    func headers(
        arguments: [String] = [], authorization: String? = nil, cookie: String? = nil, peer: String = "127.0.0.1", subject: String? = nil
    ) -> LWSRequestHeaders {
        LWSRequestHeaders(
            uriArguments: arguments, userAgent: "Godot/4.3", origins: ["http://localhost"], hosts: ["localhost:8765"], custom: " same-origin ",
            authorization: authorization, cookie: cookie, peerAddress: peer, certificateSubject: subject)
    }

    @Test func queryTokenCookieAndCertificateAreRead() {
        let request = UpgradeRequestReader.request(from: headers(
            arguments: ["type=mcp", "flag", "=ignored", "a=b=c"], authorization: "Bearer  secret-token ",
            cookie: "other=1; godot_mcp_session=abc; x=2", peer: "::ffff:127.0.0.2", subject: "test editor/O=Studio"))
        #expect(request.queryParameters == ["type": "mcp", "flag": "", "a": "b=c"])
        #expect(request.bearerToken == "secret-token")
        #expect(request.sessionCookie == "abc")
        #expect(request.remoteAddress == "127.0.0.2")
        #expect(request.certificateName == "test editor")
        #expect(request.secFetchSite == "same-origin")
        #expect(request.origins == ["http://localhost"] && request.hosts == ["localhost:8765"] && request.userAgent == "Godot/4.3")
    }

    @Test func otherSchemesAndMissingHeadersGiveNothing() {
        let request = UpgradeRequestReader.request(from: headers(authorization: "Basic dXNlcjpwYXNz", cookie: "godot_mcp_session"))
        #expect(request.bearerToken == nil && request.sessionCookie == nil && request.certificateName == nil)
        #expect(UpgradeRequestReader.request(from: headers(peer: "::1")).remoteAddress == "::1")
    }
}
