/// A command's parameters: a JSON value, or the host's own text of one (JSON the scanner has checked),
/// parsed only when something must look inside — a lock check, a resend after a resume, a forward to
/// another cluster node. A routed call then builds no tree only to write it out again (docs/design-notes.md,
/// "Hot path").
package struct CommandParameters: Sendable {
    /// The value, when the caller had one.
    private let value: JSONValue?
    /// The same parameters as text, sent to the editor as they are; nil: `value` is written out.
    package let text: JSONText?

    package init(_ value: JSONValue, text: JSONText? = nil) {
        self.value = value
        self.text = text
    }

    /// Parameters known only as text: `text` must be a JSON object (the caller checked it).
    package init(text: JSONText) {
        value = nil
        self.text = text
    }

    /// The parameters as a value; parsed from the text when there is no value (an empty object if the
    /// text were not JSON, which the caller's check rules out).
    package var jsonValue: JSONValue {
        if let value { return value }
        return text.flatMap { try? JSONParser.parse(bytes: Array($0.text.utf8)) } ?? [:]
    }

    /// The parameters as the editor is sent them.
    package var jsonText: String { text?.text ?? jsonValue.jsonText }
}
