import GatewayCore

/// JSON-RPC 2.0 response lines for the MCP host, built straight into bytes (no newline: the stdio
/// writer adds it). `id` is the request's id as JSON text, "null" when it could not be known.
enum JSONRPCLine {
    enum ErrorCode: Int {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case internalError = -32603
        /// MCP before 2026-07-28: the resource named in resources/read does not exist (since: invalidParams).
        case resourceNotFound = -32002
        /// MCP 2026-07-28: the request names a protocol version the gateway does not speak.
        case unsupportedProtocolVersion = -32022
    }

    /// `"resultType":"complete"`, the field every modern result starts with.
    static let completeResultType = Array(#""resultType":"complete""#.utf8)

    /// A modern result: `resultJSON` (a JSON object) with `resultType` first.
    static func modernResult(id: String, resultJSON: [UInt8]) -> [UInt8] {
        var body = [UInt8(ascii: "{")]
        body.reserveCapacity(resultJSON.count + completeResultType.count + 2)
        body += completeResultType
        if resultJSON.count > 2 {
            body.append(UInt8(ascii: ","))
            body += resultJSON[1...]
        } else {
            body.append(UInt8(ascii: "}"))
        }
        return result(id: id, resultJSON: body)
    }

    /// A JSON-RPC error with `data` (e.g. -32022's supported versions).
    static func error(id: String, code: Int, message: String, data: JSONValue?) -> [UInt8] {
        var error: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { error["data"] = data }
        return Array(#"{"jsonrpc":"2.0","id":"#.utf8) + id.utf8 + #","error":"#.utf8 + JSONValue.object(error).jsonText.utf8
            + [UInt8(ascii: "}")]
    }

    static func result(id: String, resultJSON: [UInt8]) -> [UInt8] {
        ReplyLineWriter.line { line in
            line.literal(#"{"jsonrpc":"2.0","id":"#)
            line.raw(id)
            line.literal(#","result":"#)
            line.raw(resultJSON)
            line.literal("}")
        }
    }

    static func error(id: String, code: ErrorCode, message: String) -> [UInt8] {
        var line = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
        line += id.utf8
        line += #","error":{"code":"#.utf8
        line += String(code.rawValue).utf8
        line += #","message":"#.utf8
        JSONWriter.appendString(message, to: &line)
        line += "}}".utf8
        return line
    }

    /// A `tools/call` result: one text content item, whether it reports a failure, and the same result
    /// as `structuredContent` when given (an editor's JSON object, passed on as the text it arrived in).
    /// `note` is a second, short text item for the agent; `meta` goes in `_meta`.
    static func toolResult(
        id: String, text: String, isError: Bool, structured: String? = nil, note: String? = nil, meta: JSONValue? = nil,
        modern: Bool = false
    ) -> [UInt8] {
        let metaText = meta?.jsonText
        // Written where it is made, once (tool results can be many MiB).
        return ReplyLineWriter.line { line in
            line.literal(#"{"jsonrpc":"2.0","id":"#)
            line.raw(id)
            line.literal(modern ? #","result":{"resultType":"complete","content":[{"type":"text","text":"#
                : #","result":{"content":[{"type":"text","text":"#)
            line.quoted(text)
            if let note {
                line.literal(#"},{"type":"text","text":"#)
                line.quoted(note)
            }
            line.literal(isError ? #"}],"isError":true"# : #"}],"isError":false"#)
            if let metaText {
                line.literal(#","_meta":"#)
                line.raw(metaText)
            }
            if let structured {
                line.literal(#","structuredContent":"#)
                line.raw(structured)
            }
            line.literal("}}")
        }
    }

    /// A tool result that is an image (base64 `data`), with a text item describing it.
    static func imageResult(id: String, data: String, mimeType: String, text: String, meta: JSONValue? = nil, modern: Bool = false) -> [UInt8] {
        let metaText = meta?.jsonText
        return ReplyLineWriter.line { line in
            line.literal(#"{"jsonrpc":"2.0","id":"#)
            line.raw(id)
            line.literal(modern ? #","result":{"resultType":"complete","content":[{"type":"image","data":"#
                : #","result":{"content":[{"type":"image","data":"#)
            line.quoted(data)
            line.literal(#","mimeType":"#)
            line.quoted(mimeType)
            line.literal(#"},{"type":"text","text":"#)
            line.quoted(text)
            line.literal(#"}],"isError":false"#)
            if let metaText {
                line.literal(#","_meta":"#)
                line.raw(metaText)
            }
            line.literal("}}")
        }
    }

    /// A notification to the host; `params` is a JSON object.
    static func notification(method: String, params: JSONValue) -> [UInt8] {
        var line = Array(#"{"jsonrpc":"2.0","method":"#.utf8)
        JSONWriter.appendString(method, to: &line)
        line += #","params":"#.utf8
        line += params.jsonText.utf8
        line.append(UInt8(ascii: "}"))
        return line
    }
}
