import GatewayCore
import GatewayEngine
import FoundationEssentials

/// Builds what the gateway needs from a request's headers (as `LWSConnection.requestHeaders` read them):
/// peer address, User-Agent, query, and the headers the security checks look at (Origin, Host,
/// Sec-Fetch-Site, Authorization, the sign-in cookie, the client certificate's name).
enum UpgradeRequestReader {
    static func read(_ connection: LWSConnection) -> ConnectionRequest {
        request(from: connection.requestHeaders(customHeader: "sec-fetch-site:"))
    }

    /// A pure function of the headers, tested without a socket.
    static func request(from headers: LWSRequestHeaders) -> ConnectionRequest {
        var query: [String: String] = [:]
        for fragment in headers.uriArguments {
            let parts = fragment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if let key = parts.first, !key.isEmpty {
                query[String(key)] = parts.count > 1 ? String(parts[1]) : ""
            }
        }
        var request = ConnectionRequest(
            remoteAddress: normalised(headers.peerAddress), userAgent: headers.userAgent, queryParameters: query,
            origins: headers.origins, hosts: headers.hosts, secFetchSite: headers.custom?.trimmed(),
            bearerToken: bearerToken(headers.authorization), sessionCookie: cookie(named: DashboardCookie.name, in: headers.cookie))
        // lws gives the subject from the common name on ("test editor/O=…"): the name is its first part.
        request.certificateName = headers.certificateSubject?.split(separator: "/", maxSplits: 1).first.map(String.init)
        return request
    }

    /// One cookie's value from a Cookie header (`a=1; b=2`).
    static func cookie(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmed() == name { return parts[1].trimmed() }
        }
        return nil
    }

    private static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmed()
    }

    /// IPv4-mapped IPv6 (`::ffff:127.0.0.1`) shown as plain IPv4, so per-address limits count one host once
    /// whichever listener it came through.
    static func normalised(_ address: String) -> String {
        address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address
    }
}
