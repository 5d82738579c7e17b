import GatewayCore
import FoundationEssentials

/// One WebSocket connection as the service thread sees it: its reassembly buffer and its queue of frames
/// to write. Lives only on the service thread; lws holds an unmanaged reference in the per-session data.
final class Connection {
    enum Frame {
        case text([UInt8])
        /// Only the test-only echo mode sends binary frames; the protocol itself is JSON text.
        case binary([UInt8])
        case ping
        case close(code: UInt16, reason: String)
    }

    let wsi: LWSConnection
    /// The core's id for this connection; changes when the client resumes an earlier id.
    var clientId: String
    private var incoming: [UInt8] = []
    /// Set once the size cap was crossed: the rest of that message is thrown away unread.
    private(set) var discardingInput = false
    private var outbox: [Frame] = []
    private var outboxHead = 0
    /// How much of the frame at the head has been written, for messages sent in fragments.
    private var headOffset = 0
    /// The buffer of the last write, kept until the next one: with permessage-deflate lws may still read it.
    private var lastWrite: [UInt8] = []

    /// Fragment size for large messages.
    static let fragmentSize = 64 * 1024
    static let pingPayload = Array("gateway".utf8)

    /// Where this connection waits for the end of the loop's turn to write; nil writes at once (the link
    /// to another gateway, outside the listeners' loop turns).
    private let batch: WriteBatch?
    /// True when this side writes server frames (unmasked), so several can be framed here and written
    /// in one go; a client connection's frames must be masked, and lws does that.
    private let framesServerSide: Bool
    /// Whether the client negotiated permessage-deflate. Messages under `deflateBypassLimit` skip the
    /// deflater (`clws_pm_deflate_small_uncompressed`), so they may be framed here too; larger ones go
    /// through lws.
    var negotiatedDeflate = false
    /// Set after lws was handed a message to deflate: until the next WRITEABLE callback, lws may still be
    /// sending that message's fragments, and nothing may be written beside them.
    private var deflaterMayBeDraining = false
    /// Already in the batch for this turn.
    private var awaitingFlush = false

    init(wsi: LWSConnection, clientId: String, batch: WriteBatch? = nil, framesServerSide: Bool = false) {
        self.wsi = wsi
        self.clientId = clientId
        self.batch = batch
        self.framesServerSide = framesServerSide
    }

    /// Bytes of text frames queued and not yet written.
    private(set) var queuedBytes = 0
    /// A larger cap on incoming messages than the gateway's own, for a gateway relaying its host's
    /// requests (their JSON-RPC envelope comes on top of the largest message).
    var messageLimit: Int?
    /// The code of the close frame the client sent, if it sent one (1000/1001: it left on purpose).
    var peerCloseCode: UInt16?
    /// Set once the connection is being killed; nothing more is queued or written.
    private(set) var abandoned = false

    var hasPendingOutput: Bool { outboxHead < outbox.count }

    /// Queues a frame. Returns false, queuing nothing, when the peer has let more than `limit` bytes pile
    /// up unread: such a client is dropped rather than allowed to grow the gateway's memory.
    @discardableResult
    func enqueue(_ frame: Frame, limit: Int = .max) -> Bool {
        guard !abandoned else { return true }
        if let payload = frame.payload {
            // The cap catches output piling up for a peer that does not read; one message alone always fits.
            guard queuedBytes == 0 || queuedBytes + payload.count <= limit else { return false }
            queuedBytes += payload.count
        }
        outbox.append(frame)
        // Frames leave without waiting for a WRITEABLE callback (which costs a loop turn and two epoll_ctl
        // calls per message): with a batch, together at the end of this turn; without one, a lone small
        // frame at once. The first frame (the handshake) always takes the normal path, and so does
        // anything written while this connection's own input is handled: a ping read with that input has
        // a pong pending inside lws, and an echo (Autobahn's order checks) must not overtake it. Frames of
        // a connection already in this turn's batch may leave before such a pong, which RFC 6455 allows
        // (control frames may be interleaved with messages).
        guard directWritesAllowed, !handlingInput else {
            wsi.requestWritable()
            return true
        }
        if let batch {
            if !awaitingFlush {
                awaitingFlush = true
                batch.add(self)
            }
            return true
        }
        if outbox.count - outboxHead == 1, headOffset == 0, frame.isSmall, wsi.canWriteNow {
            if writeNext() == .close { abandon() }
            return true
        }
        wsi.requestWritable()
        return true
    }

    /// Writes the frames queued this turn (`WriteBatch`), outside lws' callbacks: legitimate while lws
    /// holds none of our output, since what the socket does not take lws keeps and sends on POLLOUT.
    func flushBatched() {
        awaitingFlush = false
        guard !abandoned, hasPendingOutput else { return }
        guard headOffset == 0, outbox[outboxHead].isData, wsi.canWriteNow, !deflaterMayBeDraining else {
            wsi.requestWritable()
            return
        }
        if writeNext() == .close { abandon() }
    }

    /// The connection's CLOSED callback came: its lws handle is gone, so nothing may touch it again.
    func forget() {
        abandoned = true
        outbox.removeAll()
        outboxHead = 0
        queuedBytes = 0
    }

    /// Set after the first WRITEABLE callback, once the upgrade is complete and lws has written to the
    /// connection the normal way.
    private var directWritesAllowed = false
    /// Set while this connection's RECEIVE callback runs.
    var handlingInput = false

    /// Drops the queue and has lws close the socket from its own loop, with no close handshake: a peer
    /// that does not read would never receive one.
    func abandon() {
        abandoned = true
        outbox.removeAll()
        outboxHead = 0
        queuedBytes = 0
        wsi.closeSoon()
    }

    enum ReceiveResult {
        case incomplete
        case message([UInt8], isBinary: Bool)
        /// Over the cap; `head` is the message's first bytes, enough to tell whose answer it was.
        case tooLarge(head: [UInt8])
    }

    /// Appends a received chunk, enforcing the size cap while receiving rather than after.
    func receive(_ bytes: UnsafeRawBufferPointer, limit: Int) -> ReceiveResult {
        let isLast = wsi.endsMessage
        if discardingInput {
            if isLast { discardingInput = false }
            return .incomplete
        }
        if incoming.count + bytes.count > limit {
            // Enough of its beginning to find whose answer it was.
            var head = Array(incoming.prefix(LeadingIdentifier.searchedPrefix))
            head += bytes.prefix(LeadingIdentifier.searchedPrefix - head.count)
            incoming = []
            discardingInput = !isLast
            return .tooLarge(head: head)
        }
        incoming.append(contentsOf: bytes)
        guard isLast else { return .incomplete }
        defer { incoming = [] }
        return .message(incoming, isBinary: wsi.isBinaryFrame)
    }

    enum WriteResult { case keepOpen, close }

    /// Writes the next frame, or the run of whole text frames at the head of the queue in one write (lws
    /// allows one write per WRITEABLE callback).
    func writeNext(inWritableCallback: Bool = false) -> WriteResult {
        directWritesAllowed = true
        // lws calls WRITEABLE only once it has sent every fragment of a deflated message.
        if inWritableCallback { deflaterMayBeDraining = false }
        guard hasPendingOutput, !abandoned else { return .keepOpen }
        if let run = framedRun() {
            guard wsi.writeRaw(&lastWrite, length: run.byteCount) else { return .close }
            for _ in 0..<run.frames {
                if let payload = outbox[outboxHead].payload { queuedBytes -= payload.count }
                popHead()
            }
            if hasPendingOutput { wsi.requestWritable() }
            return .keepOpen
        }
        switch outbox[outboxHead] {
        case .close(let code, let reason):
            wsi.setCloseReason(code: code, reason: reason)
            return .close
        case .ping:
            // lws 4.1 does not report pongs with an empty payload (no RECEIVE_PONG), so pings carry one.
            guard wsi.writePing(Self.pingPayload, buffer: &lastWrite) else { return .close }
            popHead()
        case .text(let payload), .binary(let payload):
            let isBinary = if case .binary = outbox[outboxHead] { true } else { false }
            let chunk = min(Self.fragmentSize, payload.count - headOffset)
            let isStart = headOffset == 0
            let isEnd = headOffset + chunk == payload.count
            guard wsi.writeFrame(payload[headOffset..<(headOffset + chunk)], binary: isBinary, isStart: isStart, isEnd: isEnd, buffer: &lastWrite)
            else { return .close }
            if negotiatedDeflate { deflaterMayBeDraining = true }
            headOffset += chunk
            if isEnd {
                queuedBytes -= payload.count
                popHead()
            }
        }
        if hasPendingOutput { wsi.requestWritable() }
        return .keepOpen
    }

    /// Most bytes framed into one write; a larger run is split over WRITEABLE callbacks.
    static let framedRunLimit = 256 * 1024
    /// Messages under this size skip the deflater of a connection that negotiated permessage-deflate.
    static let deflateBypassLimit = 1024

    /// Frames the whole text messages at the head of the queue into `lastWrite` (after lws' headroom)
    /// when this side may frame them itself; nil when the head must go through lws.
    private func framedRun() -> (frames: Int, byteCount: Int)? {
        guard framesServerSide, headOffset == 0, !deflaterMayBeDraining else { return nil }
        let sizeLimit = negotiatedDeflate ? Self.deflateBypassLimit - 1 : Self.fragmentSize
        var end = outboxHead
        var total = 0
        while end < outbox.count, case .text(let payload) = outbox[end], payload.count <= sizeLimit,
              end == outboxHead || total + payload.count + 10 <= Self.framedRunLimit {
            total += WebSocketFrameHeader.size(ofPayload: payload.count) + payload.count
            end += 1
        }
        guard end > outboxHead else { return nil }
        let pre = LWSConnection.headroom
        lastWrite.removeAll(keepingCapacity: true)
        lastWrite.reserveCapacity(pre + total)
        lastWrite.append(contentsOf: repeatElement(0, count: pre))
        for index in outboxHead..<end {
            guard case .text(let payload) = outbox[index] else { break }
            WebSocketFrameHeader.appendText(length: payload.count, to: &lastWrite)
            lastWrite += payload
        }
        return (end - outboxHead, total)
    }

    private func popHead() {
        headOffset = 0
        outboxHead += 1
        // Compact now and then instead of shifting the array on every frame.
        if outboxHead == outbox.count {
            outbox.removeAll(keepingCapacity: true)
            outboxHead = 0
        } else if outboxHead > 64 {
            outbox.removeFirst(outboxHead)
            outboxHead = 0
        }
    }
}

extension Connection.Frame {
    /// A frame written in one piece: a text message of at most one fragment, or a ping.
    var isSmall: Bool {
        switch self {
        case .text(let bytes): bytes.count <= Connection.fragmentSize
        case .ping: true
        case .binary, .close: false
        }
    }

    /// A text or binary message (not a ping or a close).
    var isData: Bool { payload != nil }

    /// The bytes of a data frame, counted against the send-queue cap.
    var payload: [UInt8]? {
        switch self {
        case .text(let bytes), .binary(let bytes): bytes
        case .ping, .close: nil
        }
    }
}
