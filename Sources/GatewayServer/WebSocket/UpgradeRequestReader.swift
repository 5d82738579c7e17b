import GatewayCore
import CLWS
import FoundationEssentials
import Glibc

/// Reads what the gateway needs from a request's headers: peer address, User-Agent, URI and query, and
/// the headers the security checks look at (Origin, Host, Sec-Fetch-Site, Authorization).
enum UpgradeRequestReader {
    static func read(_ connection: LWSConnection) -> ConnectionRequest {
        let wsi = connection.pointer
        var query: [String: String] = [:]
        for fragment in fragments(wsi, WSI_TOKEN_HTTP_URI_ARGS) {
            let parts = fragment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if let key = parts.first, !key.isEmpty {
                query[String(key)] = parts.count > 1 ? String(parts[1]) : ""
            }
        }
        var request = ConnectionRequest(
            remoteAddress: peerAddress(wsi),
            userAgent: header(wsi, WSI_TOKEN_HTTP_USER_AGENT),
            queryParameters: query,
            origins: fragments(wsi, WSI_TOKEN_ORIGIN),
            hosts: fragments(wsi, WSI_TOKEN_HOST),
            secFetchSite: customHeader(wsi, "sec-fetch-site:"),
            bearerToken: bearerToken(header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION)),
            sessionCookie: cookie(named: DashboardCookie.name, in: header(wsi, WSI_TOKEN_HTTP_COOKIE)))
        var name = [CChar](repeating: 0, count: 256)
        if clws_peer_common_name(wsi, &name, name.count) > 0 {
            // lws gives the subject from the common name on ("test editor/O=…"): the name is its first part.
            request.certificateName = String(nulTerminated: name).split(separator: "/", maxSplits: 1).first.map(String.init)
        }
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

    static func header(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
        let length = Int(lws_hdr_total_length(wsi, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    /// Each occurrence of a header (or each URI argument) separately: lws keeps repeats as fragments.
    private static func fragments(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> [String] {
        var values: [String] = []
        var index: Int32 = 0
        while index < 64 {
            let length = Int(lws_hdr_fragment_length(wsi, token, index))
            guard length > 0 else { break }
            var buffer = [CChar](repeating: 0, count: length + 1)
            guard lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), token, index) >= 0 else { break }
            values.append(String(nulTerminated: buffer))
            index += 1
        }
        return values
    }

    /// A header lws has no token for; `name` is lower case with its colon, e.g. "sec-fetch-site:".
    private static func customHeader(_ wsi: OpaquePointer, _ name: String) -> String? {
        let nameLength = Int32(name.utf8.count)
        let length = Int(lws_hdr_custom_length(wsi, name, nameLength))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_custom_copy(wsi, &buffer, Int32(buffer.count), name, nameLength) >= 0 else { return nil }
        return String(nulTerminated: buffer).trimmed()
    }

    private static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmed()
    }

    /// The peer's address, with IPv4-mapped IPv6 (`::ffff:127.0.0.1`) shown as plain IPv4 so per-address
    /// limits count one host once whichever listener it came through.
    static func peerAddress(_ wsi: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard lws_get_peer_simple(wsi, &buffer, buffer.count) != nil else { return "unknown" }
        let address = String(nulTerminated: buffer)
        return address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address
    }
}

extension String {
    /// Decodes a C character buffer up to its first NUL, replacing invalid UTF-8.
    init(nulTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
