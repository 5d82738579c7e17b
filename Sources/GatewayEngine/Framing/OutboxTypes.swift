extension Outbox {
    /// One thing to send on a connection, as the engine's actions ask for it.
    package enum Frame: Equatable {
        case text([UInt8])
        /// Only the test-only echo mode sends binary frames; the protocol itself is JSON text.
        case binary([UInt8])
        case ping
        case close(code: UInt16, reason: String)

        /// A frame written in one piece: a text message of at most one fragment, or a ping.
        var isSmall: Bool {
            switch self {
            case .text(let bytes): bytes.count <= Outbox.fragmentSize
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

    /// When the socket layer should write what was queued.
    package enum WriteTiming: Equatable {
        /// Nothing to do now: nothing is queued, the connection is being dropped, or it already waits in
        /// this turn's batch.
        case nothing
        /// Ask lws for a WRITEABLE callback and write from there.
        case onWritable
        /// Add the connection to this turn's batch (`WriteBatch`); the outbox counts it as added.
        case inBatch
        /// Write the next step at once (`nextStep`).
        case now
    }

    /// What `enqueue` did with a frame.
    package enum Admission: Equatable {
        case queued(WriteTiming)
        /// Not queued: the peer let `queuedBytes` pile up unread and this message would cross the limit.
        case refused(queuedBytes: Int)
        /// Not queued: the connection is being dropped or is gone.
        case dropped
    }

    /// One write for the socket layer to make, as lws takes it (one write per WRITEABLE callback).
    package enum Step: Equatable {
        case nothing
        /// Whole text messages framed here, `byteCount` bytes laid out in the write buffer after the
        /// headroom; written raw (lws adds nothing).
        case framedRun(messages: Int, byteCount: Int)
        /// One frame of a text or binary message, for lws to frame (and deflate, if negotiated).
        case fragment(ArraySlice<UInt8>, isBinary: Bool, isStart: Bool, isEnd: Bool)
        /// A ping carrying this payload (lws 4.1 does not report pongs with an empty payload).
        case ping([UInt8])
        /// Close with this code and reason: the socket layer sets them and has lws close the connection.
        case close(code: UInt16, reason: String)
    }
}
