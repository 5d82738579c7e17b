extension Outbox {
    /// The next write: the run of whole text messages at the head of the queue framed into `buffer` in one
    /// go when this side may frame them, else the head's next fragment, its ping or its close. Nothing is
    /// taken off the queue until `wrote` says the write succeeded. `buffer` is the connection's last-write
    /// buffer, reused (with its capacity) because lws may read the previous write's bytes until the next.
    package mutating func nextStep(inWritableCallback: Bool, buffer: inout [UInt8]) -> Step {
        directWritesAllowed = true
        // lws calls WRITEABLE only once it has sent every fragment of a deflated message.
        if inWritableCallback { deflaterMayBeDraining = false }
        guard hasPendingOutput, !isDropped else { return .nothing }
        if let run = layOutFramedRun(into: &buffer) {
            return .framedRun(messages: run.messages, byteCount: run.byteCount)
        }
        switch frames[head] {
        case .close(let code, let reason):
            return .close(code: code, reason: reason)
        case .ping:
            return .ping(Self.pingPayload)
        case .text(let payload):
            return fragment(of: payload, isBinary: false)
        case .binary(let payload):
            return fragment(of: payload, isBinary: true)
        }
    }

    /// Takes what `step` wrote off the queue. True when more is queued: the socket layer then asks for a
    /// WRITEABLE callback (one write per callback).
    package mutating func wrote(_ step: Step) -> Bool {
        // A connection dropped during the write has nothing left to account for.
        guard !isDropped, hasPendingOutput else { return false }
        switch step {
        case .nothing, .close:
            return false
        case .framedRun(let messages, _):
            for _ in 0..<messages {
                queuedBytes -= frames[head].payload?.count ?? 0
                popHead()
            }
        case .ping:
            popHead()
        case .fragment(let bytes, _, _, let isEnd):
            if negotiatedDeflate { deflaterMayBeDraining = true }
            headOffset += bytes.count
            if isEnd {
                queuedBytes -= frames[head].payload?.count ?? 0
                popHead()
            }
        }
        return hasPendingOutput
    }

    private func fragment(of payload: [UInt8], isBinary: Bool) -> Step {
        let chunk = min(Self.fragmentSize, payload.count - headOffset)
        return .fragment(
            payload[headOffset..<(headOffset + chunk)], isBinary: isBinary,
            isStart: headOffset == 0, isEnd: headOffset + chunk == payload.count)
    }

    /// Frames the whole text messages at the head of the queue into `buffer` (after the headroom) when
    /// this side may frame them itself; nil when the head must go through lws. On a deflate connection
    /// only messages under `deflateBypassLimit` qualify (lws sends those uncompressed anyway), and nothing
    /// is framed while a deflated message may still be draining: lws would make a raw write a
    /// continuation of it.
    private func layOutFramedRun(into buffer: inout [UInt8]) -> (messages: Int, byteCount: Int)? {
        guard framesServerSide, headOffset == 0, !deflaterMayBeDraining else { return nil }
        let sizeLimit = negotiatedDeflate ? Self.deflateBypassLimit - 1 : Self.fragmentSize
        var end = head
        var total = 0
        while end < frames.count, case .text(let payload) = frames[end], payload.count <= sizeLimit,
              end == head || total + payload.count + 10 <= Self.framedRunLimit {
            total += WebSocketFrameHeader.size(ofPayload: payload.count) + payload.count
            end += 1
        }
        guard end > head else { return nil }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(headroom + total)
        buffer.append(contentsOf: repeatElement(0, count: headroom))
        for index in head..<end {
            guard case .text(let payload) = frames[index] else { break }
            WebSocketFrameHeader.appendText(length: payload.count, to: &buffer)
            buffer += payload
        }
        return (end - head, total)
    }
}
