/// A WebSocket connection's send queue and the policy of writing it, without I/O: the cap that drops a
/// peer which does not read, 64 KiB fragments, runs of whole text messages framed here into one write,
/// which messages may bypass permessage-deflate, and when to write — at once, in the loop turn's batch, or
/// from lws' WRITEABLE callback. The socket layer (`Connection` in GatewayServer) tells it what only the
/// socket knows and performs each `Step` it returns; see docs/design-notes.md, "The sans-IO engine".
package struct Outbox {
    /// Fragment size for large messages.
    package static let fragmentSize = 64 * 1024
    /// Most bytes framed into one write; a larger run is split over WRITEABLE callbacks.
    package static let framedRunLimit = 256 * 1024
    /// Messages under this size skip the deflater of a connection that negotiated permessage-deflate
    /// (`clws_pm_deflate_small_uncompressed`), so they may be framed here too; larger ones go through lws.
    package static let deflateBypassLimit = 1024
    package static let pingPayload = Array("gateway".utf8)

    /// The room lws needs in front of what it writes (`LWS_PRE`), left free in the write buffer.
    let headroom: Int
    /// Whether the connection writes at the end of the loop's turn (`WriteBatch`); without a batch (the link
    /// to another gateway, outside the listeners' turns) a lone small frame is written at once.
    let isBatched: Bool
    /// True when this side writes server frames (unmasked), so several can be framed here and written in
    /// one go; a client connection's frames must be masked, and lws does that.
    let framesServerSide: Bool
    /// Whether the client negotiated permessage-deflate.
    let negotiatedDeflate: Bool

    var frames: [Frame] = []
    var head = 0
    /// How much of the frame at the head has been written, for messages sent in fragments.
    var headOffset = 0
    /// Bytes of data frames queued and not yet written.
    package internal(set) var queuedBytes = 0
    /// Set once the connection is being killed or is gone; nothing more is queued or written.
    package internal(set) var isDropped = false
    /// Set after the first WRITEABLE callback, once the upgrade is complete and lws has written to the
    /// connection the normal way.
    var directWritesAllowed = false
    /// Set by the socket layer while this connection's RECEIVE callback runs.
    package var handlingInput = false
    /// Set after lws was handed a message to deflate: until the next WRITEABLE callback, lws may still be
    /// sending that message's fragments, and nothing may be written beside them.
    var deflaterMayBeDraining = false
    /// Already in the batch for this turn.
    var awaitingFlush = false

    package init(headroom: Int, isBatched: Bool, framesServerSide: Bool, negotiatedDeflate: Bool) {
        self.headroom = headroom
        self.isBatched = isBatched
        self.framesServerSide = framesServerSide
        self.negotiatedDeflate = negotiatedDeflate
    }

    package var hasPendingOutput: Bool { head < frames.count }

    /// Queues a frame and says when to write it. Refuses, queuing nothing, when the peer has let more than
    /// `limit` bytes pile up unread: such a client is dropped rather than allowed to grow the gateway's
    /// memory. `canWriteNow` (lws holds no unsent part of an earlier write) is a call into lws, so it is
    /// asked only when a direct write is otherwise allowed.
    package mutating func enqueue(_ frame: Frame, limit: Int = .max, canWriteNow: @autoclosure () -> Bool) -> Admission {
        guard !isDropped else { return .dropped }
        if let payload = frame.payload {
            // The cap catches output piling up for a peer that does not read; one message alone always fits.
            guard queuedBytes == 0 || queuedBytes + payload.count <= limit else { return .refused(queuedBytes: queuedBytes) }
            queuedBytes += payload.count
        }
        frames.append(frame)
        // Frames leave without waiting for a WRITEABLE callback (which costs a loop turn and two epoll_ctl
        // calls per message): with a batch, together at the end of this turn; without one, a lone small
        // frame at once. The first frame (the handshake) always takes the normal path, and so does
        // anything written while this connection's own input is handled: a ping read with that input has
        // a pong pending inside lws, and an echo (Autobahn's order checks) must not overtake it. Frames of
        // a connection already in this turn's batch may leave before such a pong, which RFC 6455 allows
        // (control frames may be interleaved with messages).
        guard directWritesAllowed, !handlingInput else { return .queued(.onWritable) }
        if isBatched {
            if awaitingFlush { return .queued(.nothing) }
            awaitingFlush = true
            return .queued(.inBatch)
        }
        if frames.count - head == 1, headOffset == 0, frame.isSmall, canWriteNow() { return .queued(.now) }
        return .queued(.onWritable)
    }

    /// The loop's turn ended and the batch is being written, outside lws' callbacks: legitimate while
    /// lws holds none of our output, since what the socket does not take lws keeps and sends on POLLOUT.
    /// A fragment in progress, a ping or a close, or a deflated message still draining waits for
    /// WRITEABLE instead.
    package mutating func batchTurnEnded(canWriteNow: @autoclosure () -> Bool) -> WriteTiming {
        awaitingFlush = false
        guard !isDropped, hasPendingOutput else { return .nothing }
        guard headOffset == 0, frames[head].isData, canWriteNow(), !deflaterMayBeDraining else { return .onWritable }
        return .now
    }

    /// Drops the queue for good: the connection is being killed (a peer that does not read would never
    /// receive a close handshake), or its lws handle is gone.
    package mutating func drop() {
        isDropped = true
        frames.removeAll()
        head = 0
        headOffset = 0
        queuedBytes = 0
    }

    mutating func popHead() {
        headOffset = 0
        head += 1
        // Compact now and then instead of shifting the array on every frame.
        if head == frames.count {
            frames.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 {
            frames.removeFirst(head)
            head = 0
        }
    }
}
