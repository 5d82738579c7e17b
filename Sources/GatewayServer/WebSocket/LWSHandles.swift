import CLWS

/// A libwebsockets context (`struct lws_context *`).
struct LWSContext {
    let pointer: OpaquePointer
}

/// A libwebsockets vhost (`struct lws_vhost *`): one listener.
struct LWSVhost {
    let pointer: OpaquePointer
}

/// One libwebsockets connection or adopted descriptor (`struct lws *`), with the calls the gateway makes
/// on it. Valid only on the service thread, between its first callback and its CLOSED callback.
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

    /// Writes `length` bytes that start `LWS_PRE` bytes into `buffer`; returns lws_write's result (how much
    /// it took, negative when the connection failed).
    func write(_ buffer: UnsafeMutableRawBufferPointer, length: Int, as kind: lws_write_protocol) -> Int {
        guard let base = buffer.baseAddress, buffer.count >= Int(clws_pre()) + length else { return -1 }
        return Int(lws_write(pointer, base.assumingMemoryBound(to: UInt8.self) + Int(clws_pre()), length, kind))
    }
}
