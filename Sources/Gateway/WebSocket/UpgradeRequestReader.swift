import CLWS
import Foundation

/// Reads what the registry needs from a WebSocket upgrade request: peer address, User-Agent, URI and query.
enum UpgradeRequestReader {
    static func read(_ wsi: OpaquePointer) -> ConnectionRequest {
        var query: [String: String] = [:]
        var index: Int32 = 0
        while let fragment = copyFragment(wsi, WSI_TOKEN_HTTP_URI_ARGS, index: index) {
            let parts = fragment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if let key = parts.first, !key.isEmpty {
                query[String(key)] = parts.count > 1 ? String(parts[1]) : ""
            }
            index += 1
        }
        return ConnectionRequest(
            remoteAddress: peerAddress(wsi),
            userAgent: header(wsi, WSI_TOKEN_HTTP_USER_AGENT),
            uri: header(wsi, WSI_TOKEN_GET_URI),
            queryParameters: query)
    }

    static func header(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
        let length = Int(lws_hdr_total_length(wsi, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    private static func copyFragment(_ wsi: OpaquePointer, _ token: lws_token_indexes, index: Int32) -> String? {
        // URI arguments are capped by lws' header space; 1 KiB covers any one we care about.
        var buffer = [CChar](repeating: 0, count: 1024)
        guard lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), token, index) > 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    /// The peer's address, with IPv4-mapped IPv6 (`::ffff:127.0.0.1`) shown as plain IPv4.
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
