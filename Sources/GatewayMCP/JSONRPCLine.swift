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
        var line = resultHead(id: id, capacity: resultJSON.count)
        line += resultJSON
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// `{"jsonrpc":"2.0","id":ID,"result":` with room for `capacity` more bytes: results whose body is
    /// written straight after it (tool results, which can be many MiB) are not copied a second time.
    private static func resultHead(id: String, capacity: Int) -> [UInt8] {
        var line = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
        line.reserveCapacity(line.count + id.utf8.count + capacity + 12)
        line += id.utf8
        line += #","result":"#.utf8
        return line
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
        // An editor's JSON result grows when escaped (every quote gains a backslash): room for a quarter more.
        var body = resultHead(id: id, capacity: text.utf8.count + text.utf8.count / 4 + (structured?.utf8.count ?? 0) + 80)
        body += (modern ? #"{"resultType":"complete","content":[{"type":"text","text":"# : #"{"content":[{"type":"text","text":"#).utf8
        JSONWriter.appendString(text, to: &body)
        if let note {
            body += #"},{"type":"text","text":"#.utf8
            JSONWriter.appendString(note, to: &body)
        }
        body += (isError ? #"}],"isError":true"# : #"}],"isError":false"#).utf8
        if let meta {
            body += #","_meta":"#.utf8
            body += meta.jsonText.utf8
        }
        if let structured {
            body += #","structuredContent":"#.utf8
            body += structured.utf8
        }
        body += "}}".utf8
        return body
    }

    /// A tool result that is an image (base64 `data`), with a text item describing it.
    static func imageResult(id: String, data: String, mimeType: String, text: String, meta: JSONValue? = nil, modern: Bool = false) -> [UInt8] {
        var body = resultHead(id: id, capacity: data.utf8.count + text.utf8.count + 120)
        body += (modern ? #"{"resultType":"complete","content":[{"type":"image","data":"# : #"{"content":[{"type":"image","data":"#).utf8
        JSONWriter.appendString(data, to: &body)
        body += #","mimeType":"#.utf8
        JSONWriter.appendString(mimeType, to: &body)
        body += #"},{"type":"text","text":"#.utf8
        JSONWriter.appendString(text, to: &body)
        body += #"}],"isError":false"#.utf8
        if let meta {
            body += #","_meta":"#.utf8
            body += meta.jsonText.utf8
        }
        body += "}}".utf8
        return body
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
