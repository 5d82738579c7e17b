import CLWS
import Glibc

/// A libwebsockets vhost (`struct lws_vhost *`): one listener, or the local one stdio and outgoing
/// connections live on. Created and destroyed by `LWSRuntime`.
struct LWSVhost {
    let pointer: OpaquePointer
}

/// One libwebsockets connection or adopted descriptor (`struct lws *`), with every call the gateway makes
/// on it; each checks lws' result. Valid only on the service thread, between its first callback and its
/// CLOSED callback.
struct LWSConnection: Equatable {
    let pointer: OpaquePointer

    /// Asks for a WRITEABLE callback. False when lws refuses: the connection is already closing, and its
    /// CLOSED callback will follow, so there is nothing more to do about it.
    @discardableResult
    func requestWritable() -> Bool {
        lws_callback_on_writable(pointer) >= 0
    }

    /// Has lws close the connection from its own loop soon, without a close handshake.
    func closeSoon() {
        lws_set_timeout(pointer, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
    }

    /// True when lws holds no unsent part of an earlier write. A write outside the WRITEABLE callback
    /// is then legitimate: what the socket does not take, lws keeps and sends when POLLOUT comes, so no
    /// poll(2) is needed first (lws_send_pipe_choked makes one per call).
    var canWriteNow: Bool {
        lws_partial_buffered(pointer) == 0
    }

    /// Turns reading (POLLIN) on or off. False when lws could not change it.
    @discardableResult
    func setReading(_ enabled: Bool) -> Bool {
        lws_rx_flow_control(pointer, enabled ? 1 : 0) >= 0
    }

    /// True when the chunk just received ends its message.
    var endsMessage: Bool {
        lws_is_final_fragment(pointer) != 0 && lws_remaining_packet_payload(pointer) == 0
    }

    var isBinaryFrame: Bool { lws_frame_is_binary(pointer) != 0 }

    /// The close code and reason sent when the connection is closed by returning -1 from a callback.
    func setCloseReason(code: UInt16, reason: String) {
        var bytes = Array(reason.utf8.prefix(120))
        lws_close_reason(pointer, lws_close_status(rawValue: UInt32(code)), &bytes, bytes.count)
    }

    /// Sets an option of a negotiated extension; false when the client did not negotiate it.
    @discardableResult
    func setExtensionOption(_ extensionName: String, _ option: String, _ value: String) -> Bool {
        lws_set_extension_option(pointer, extensionName, option, value) == 0
    }

    // MARK: WebSocket frames

    /// Writes one WebSocket frame (or fragment) of `payload`. `buffer` is where the bytes go, with lws'
    /// headroom in front; the caller keeps it until the next write, since with permessage-deflate lws may
    /// still read it. False when lws did not take the whole chunk (the connection failed).
    func writeFrame(_ payload: ArraySlice<UInt8>, binary: Bool, isStart: Bool, isEnd: Bool, buffer: inout [UInt8]) -> Bool {
        let pre = Self.headroom
        buffer = [UInt8](repeating: 0, count: pre + payload.count)
        buffer.replaceSubrange(pre..<(pre + payload.count), with: payload)
        let opcode = binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT
        let flags = lws_write_ws_flags(Int32(opcode.rawValue), isStart ? 1 : 0, isEnd ? 1 : 0)
        return write(&buffer, length: payload.count, as: lws_write_protocol(rawValue: UInt32(flags))) >= payload.count
    }

    /// The headroom lws needs in front of what it writes (`LWS_PRE`).
    static var headroom: Int { Int(clws_pre()) }

    /// Writes bytes already framed (whole WebSocket frames, `WebSocketFrameHeader`) that start `headroom`
    /// bytes into `buffer`. lws' WebSocket role passes an `LWS_WRITE_HTTP` write through unframed
    /// (lib/roles/ws/ops-ws.c, rops_write_role_protocol_ws → lws_issue_raw), and keeps what the socket does
    /// not take for POLLOUT, as for its own frames. False when the connection failed.
    /// Two preconditions the caller keeps (`Outbox` in GatewayEngine decides when to write raw): lws holds no unsent part of an earlier write
    /// (`canWriteNow`; otherwise lws reports only that older part as written), and no deflated message is
    /// still being drained (lws would turn this write into a continuation of it, ops-ws.c).
    func writeRaw(_ buffer: inout [UInt8], length: Int) -> Bool {
        write(&buffer, length: length, as: LWS_WRITE_HTTP) >= length
    }

    /// Writes a ping carrying `payload` (lws 4.1 does not report pongs with an empty payload).
    func writePing(_ payload: [UInt8], buffer: inout [UInt8]) -> Bool {
        buffer = [UInt8](repeating: 0, count: Self.headroom) + payload
        return write(&buffer, length: payload.count, as: LWS_WRITE_PING) >= 0
    }

    /// Writes `length` bytes that start `LWS_PRE` bytes into `buffer`; returns lws_write's result (how much
    /// it took, negative when the connection failed).
    private func write(_ buffer: inout [UInt8], length: Int, as kind: lws_write_protocol) -> Int {
        let pre = Self.headroom
        return buffer.withUnsafeMutableBufferPointer { raw in
            guard let base = raw.baseAddress, raw.count >= pre + length else { return -1 }
            return Int(lws_write(pointer, base + pre, length, kind))
        }
    }

    // MARK: HTTP

    /// Whether the request is a POST.
    var isPost: Bool { lws_hdr_total_length(pointer, WSI_TOKEN_POST_URI) > 0 }

    /// Writes a complete HTTP response: status, content type and length, `headers`, then `payload`.
    /// False when lws had no room for the headers or the write failed.
    func respond(status: UInt32, contentType: String, payload: [UInt8], headers: [(name: String, value: String)] = []) -> Bool {
        let pre = Self.headroom
        var buffer = [UInt8](repeating: 0, count: pre + 1024 + payload.count)
        let written: Int32 = buffer.withUnsafeMutableBufferPointer { raw in
            guard let base = raw.baseAddress else { return -1 }
            let start = base + pre
            let end = base + raw.count
            var cursor: UnsafeMutablePointer<UInt8>? = start
            if lws_add_http_common_headers(pointer, status, contentType, lws_filepos_t(payload.count), &cursor, end) != 0 { return -1 }
            for (name, value) in headers {
                let bytes = Array(value.utf8)
                let added = bytes.withUnsafeBufferPointer { lws_add_http_header_by_name(pointer, name, $0.baseAddress, Int32($0.count), &cursor, end) }
                if added != 0 { return -1 }
            }
            if lws_finalize_http_header(pointer, &cursor, end) != 0 { return -1 }
            guard let bodyStart = cursor, end - bodyStart >= payload.count else { return -1 }
            for (offset, byte) in payload.enumerated() { bodyStart[offset] = byte }
            return Int32(lws_write(pointer, start, bodyStart - start + payload.count, LWS_WRITE_HTTP_FINAL))
        }
        return written >= 0
    }

    /// Writes a whole response already formatted (status line, headers, body) as one final write. Used
    /// for refusals before an upgrade is confirmed, when lws has not settled the HTTP version yet.
    @discardableResult
    func writeRawResponse(_ text: String) -> Bool {
        let pre = Self.headroom
        var buffer = [UInt8](repeating: 0, count: pre) + Array(text.utf8)
        return write(&buffer, length: buffer.count - pre, as: LWS_WRITE_HTTP_FINAL) >= 0
    }

    /// Ends an HTTP transaction (keep-alive may carry the next one). False: lws wants the connection closed.
    func completeHTTPTransaction() -> Bool {
        lws_http_transaction_completed(pointer) == 0
    }

    // MARK: Request headers

    /// What the request's headers say, read once (see `LWSRequestHeaders`).
    func requestHeaders(customHeader: String) -> LWSRequestHeaders {
        var subject = [CChar](repeating: 0, count: 256)
        let hasCertificate = clws_peer_common_name(pointer, &subject, subject.count) > 0
        return LWSRequestHeaders(
            uriArguments: fragments(WSI_TOKEN_HTTP_URI_ARGS), userAgent: header(WSI_TOKEN_HTTP_USER_AGENT),
            origins: fragments(WSI_TOKEN_ORIGIN), hosts: fragments(WSI_TOKEN_HOST), custom: custom(customHeader),
            authorization: header(WSI_TOKEN_HTTP_AUTHORIZATION), cookie: header(WSI_TOKEN_HTTP_COOKIE), peerAddress: peerAddress(),
            certificateSubject: hasCertificate ? String(nulTerminated: subject) : nil)
    }

    private func header(_ token: lws_token_indexes) -> String? {
        let length = Int(lws_hdr_total_length(pointer, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_copy(pointer, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    /// Each occurrence of a header (or each URI argument) separately: lws keeps repeats as fragments.
    private func fragments(_ token: lws_token_indexes) -> [String] {
        var values: [String] = []
        var index: Int32 = 0
        while index < 64 {
            let length = Int(lws_hdr_fragment_length(pointer, token, index))
            guard length > 0 else { break }
            var buffer = [CChar](repeating: 0, count: length + 1)
            guard lws_hdr_copy_fragment(pointer, &buffer, Int32(buffer.count), token, index) >= 0 else { break }
            values.append(String(nulTerminated: buffer))
            index += 1
        }
        return values
    }

    /// A header lws has no token for; `name` is lower case with its colon, e.g. "sec-fetch-site:".
    private func custom(_ name: String) -> String? {
        let nameLength = Int32(name.utf8.count)
        let length = Int(lws_hdr_custom_length(pointer, name, nameLength))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_custom_copy(pointer, &buffer, Int32(buffer.count), name, nameLength) >= 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    private func peerAddress() -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard lws_get_peer_simple(pointer, &buffer, buffer.count) != nil else { return "unknown" }
        return String(nulTerminated: buffer)
    }
}

/// The parts of an HTTP request the gateway looks at, as lws parsed them.
struct LWSRequestHeaders {
    var uriArguments: [String]
    var userAgent: String?
    var origins: [String]
    var hosts: [String]
    /// The one header lws has no token for that was asked for (`Sec-Fetch-Site`).
    var custom: String?
    var authorization: String?
    var cookie: String?
    var peerAddress: String
    /// The client certificate's subject from its common name on ("editor/O=…"), with mutual TLS.
    var certificateSubject: String?
}

extension String {
    /// Decodes a C character buffer up to its first NUL, replacing invalid UTF-8.
    init(nulTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
