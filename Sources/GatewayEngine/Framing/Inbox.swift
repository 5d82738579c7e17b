import GatewayCore

/// Reassembles a WebSocket connection's incoming messages from the chunks lws hands over, enforcing the
/// size cap while receiving rather than after: a message over the cap is never held whole. Pure; the
/// socket layer says whether each chunk ends its message and whether the message is binary.
package struct Inbox {
    package enum Result: Equatable {
        case incomplete
        case message([UInt8], isBinary: Bool)
        /// Over the cap; `head` is the message's first bytes, enough to tell whose answer it was.
        case tooLarge(head: [UInt8])
    }

    private var incoming: [UInt8] = []
    /// Set once the size cap was crossed: the rest of that message is thrown away unread.
    package private(set) var isDiscardingRest = false

    package init() {}

    /// Appends a received chunk. `isFinal`: the chunk ends its message.
    package mutating func receive(_ bytes: UnsafeRawBufferPointer, isFinal: Bool, isBinary: Bool, limit: Int) -> Result {
        if isDiscardingRest {
            if isFinal { isDiscardingRest = false }
            return .incomplete
        }
        if incoming.count + bytes.count > limit {
            // Enough of its beginning to find whose answer it was.
            var head = Array(incoming.prefix(LeadingIdentifier.searchedPrefix))
            head += bytes.prefix(LeadingIdentifier.searchedPrefix - head.count)
            incoming = []
            isDiscardingRest = !isFinal
            return .tooLarge(head: head)
        }
        incoming.append(contentsOf: bytes)
        guard isFinal else { return .incomplete }
        // Handing over the buffer and starting a new one copies nothing.
        defer { incoming = [] }
        return .message(incoming, isBinary: isBinary)
    }
}
