/// Where a command's outcome (exactly once) and progress go. The core never calls back: it queues
/// `CommandReply`s addressed like this, and the engine hands them to the MCP session that waits.
package enum ReplyAddress: Equatable, Hashable, Sendable {
    /// A `tools/call` of an MCP session: `session` ("" for the host on stdio, else a relaying client's id)
    /// and the session's own key for the call (its JSON-RPC request id).
    case call(session: String, key: CallKey)
    /// A call another cluster node forwarded here (`id`): its answer goes back to NATS subject `replyTo`.
    case node(replyTo: String, id: String)
}

/// An MCP session's key for one of its calls: the call's JSON-RPC request id. Hosts send integer ids (the
/// official SDKs count from 0), held here as an integer, so finding a call when its command ends hashes one
/// word rather than the id's text; any other id is kept as its JSON text.
///
/// Texts are equal when their bytes are. Swift's own String equality is canonical equivalence, under
/// which the ids "\u00e9" and "e\u0301" would be one call: the second would overwrite the first and take
/// its answer.
package enum CallKey: Hashable, Sendable {
    case number(Int)
    case text(String)

    package static func == (left: CallKey, right: CallKey) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): a == b
        case (.text(let a), .text(let b)): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let value):
            hasher.combine(value)
        case .text(let text):
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// The key of the id written `idText` (its JSON text, as `JSONValue.jsonText` writes it). Only an
    /// integer in its shortest form becomes `.number`, so two keys are equal exactly when the two texts
    /// are: `1` and the string id `"1"` (quotes included) stay apart, as do `1`, `1.0` and `-0`.
    package init(idText: String) {
        // Read as contiguous bytes: iterating the UTF-8 view cost more than the hashing this key saves.
        var text = idText
        self = text.withUTF8 { Self.integer(UnsafeRawBufferPointer($0)) }.map(CallKey.number) ?? .text(idText)
    }

    /// The integer `text` writes in its shortest form (no `+`, no leading zero, not `-0`), if it fits an Int.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = negative ? UnsafeRawBufferPointer(rebasing: text.dropFirst()) : text
        guard let first = digits.first, first != UInt8(ascii: "0") || (digits.count == 1 && !negative) else { return nil }
        // Accumulated negatively: Int.min has no positive counterpart.
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) = times10.subtractingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowed, !overflowedAgain else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }
}

/// What the core tells a command's caller.
package enum CommandReply: Equatable, Sendable {
    case ended(CommandOutcome)
    case progress(CommandProgress)
    /// The answer to another node's forwarded call, as that node reads it (also for a repeat).
    case forwardedAnswer(String)
}

/// A command the MCP side wants an editor to run. Its outcome goes to `replyTo` exactly once.
package struct CommandRequest {
    package var name: String
    /// The parameters, as a value or as the host's own text (`CommandParameters`): a host's argument
    /// bytes, checked by `ScannedToolCall`, are sent to the editor as they are.
    package var parameters: CommandParameters
    /// The parameters as a value (parsed from the host's text when there is only text).
    package var params: JSONValue { parameters.jsonValue }
    /// A client id to send to; nil routes to the first ready Godot editor.
    package var target: String?
    package var replyTo: ReplyAddress
    /// Whether the caller wants the progress the editor reports (forwarded at most every 100 ms).
    package var wantsProgress = false
    /// The MCP session the call came from: "" for the host on stdio, else the relaying client's id.
    /// Pins (`select_client`) are per session.
    package var session: String
    /// How long the call may wait for a suitable editor to connect (`wait_seconds`); 0: not at all; nil:
    /// the default (during the startup grace only).
    package var waitSeconds: Double?
    /// The id the editor sees; nil: a fresh one. A call forwarded by another cluster node keeps that
    /// node's id, so an editor that resumed elsewhere recognises a command sent to it again.
    package var commandId: String?
    /// The caller's name, when its rights are read-only: the call runs only if the tool reads on the
    /// editor it reaches (see `readsOnlyByGateway`); nil for a caller with full rights.
    package var readOnlyCaller: String?
    /// The gateway's own judgement of whether the tool only reads, for its built-in tools; nil: the
    /// target editor's declaration decides (never another editor's).
    package var readsOnlyByGateway: Bool?

    /// `replyTo`: by default the call keyed `callKey` of `session`.
    package init(
        name: String, params: JSONValue, target: String? = nil, session: String = "", callKey: CallKey = .text(""), wantsProgress: Bool = false,
        replyTo: ReplyAddress? = nil
    ) {
        self.init(
            name: name, parameters: CommandParameters(params), target: target, session: session, callKey: callKey, wantsProgress: wantsProgress,
            replyTo: replyTo)
    }

    /// The same with parameters as the caller has them (a host's text): no value is built for them.
    package init(
        name: String, parameters: CommandParameters, target: String? = nil, session: String = "", callKey: CallKey = .text(""),
        wantsProgress: Bool = false, replyTo: ReplyAddress? = nil
    ) {
        self.session = session
        self.name = name
        self.parameters = parameters
        self.target = target
        self.wantsProgress = wantsProgress
        self.replyTo = replyTo ?? .call(session: session, key: callKey)
    }
}

/// How far an editor says it is with a command.
package struct CommandProgress: Equatable, Hashable, Sendable {
    package var progress: Double
    package var total: Double?
    package var message: String?
}
