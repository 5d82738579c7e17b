/// The editors' answer, scanned instead of parsed: an answer is nearly all result, which goes on to the
/// host as the editor wrote it, so the few members around it are read from their bytes and nothing is
/// built. Only the common shape is taken here — `{"id":"…","success":bool,"result":…,"error":null|"…",
/// …scalars}` with plain names and an id and error without escapes; anything else returns nil and
/// `decodeFully` answers as it always did, so no input can tell the two paths apart.
extension InboundMessage {
    package static func scannedAnswer(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) -> CommandResponse? {
        scannedAnswerParts(bytes, maximumDepth: maximumDepth)?.response(in: bytes)
    }

    /// An answer of the common shape as the scan found it, its id still bytes: the core finds the command
    /// of an id it made from them, without making a String of the id only to read its counter back.
    package struct ScannedAnswer {
        /// Where the id's text lies, inside its quotes: not empty, no escapes, UTF-8 already checked.
        package var id: Range<Int>
        package var success: Bool
        package var result: JSONText
        package var error: String?

        /// The answer as `scannedAnswer` gives it (the id as text).
        package func response(in bytes: UnsafeRawBufferPointer) -> CommandResponse {
            let identifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[id]), as: UTF8.self)
            return CommandResponse(id: identifier, success: success, result: result, error: error)
        }
    }

    /// `scannedAnswer` before its id is made into text: nil exactly when `scannedAnswer` is nil.
    package static func scannedAnswerParts(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) -> ScannedAnswer? {
        // Deeper than the parser keeps a result: its own refusal words it.
        guard maximumDepth <= JSONParser.maximumKeptDepth else { return nil }
        var found = AnswerMembers(bytes: bytes)
        guard JSONScanner.scanObject(bytes, maximumDepth: maximumDepth, into: &found),
              let id = found.id, found.success != nil || found.result != nil || found.error != nil,
              let identifier = plainStringRange(bytes, id), !identifier.isEmpty else { return nil }
        let success = found.success, result = found.result, error = found.error
        var errorText: String?
        if let error {
            if JSONScanner.bytes(bytes, error, equal: "null") {
                errorText = nil
            } else if let text = plainString(bytes, error) {
                errorText = text
            } else {
                return nil
            }
        }
        var succeeded = errorText == nil
        if let success {
            if JSONScanner.bytes(bytes, success, equal: "true") {
                succeeded = true
            } else if JSONScanner.bytes(bytes, success, equal: "false") {
                succeeded = false
            } else if isContainer(bytes, success) {
                return nil
            }
        }
        let resultText = result.map { JSONText(scannedBytes: UnsafeRawBufferPointer(rebasing: bytes[$0])) } ?? JSONText(.null)
        return ScannedAnswer(id: identifier, success: succeeded, result: resultText, error: errorText)
    }

    /// The members an answer is read from, noted as the scan finds them (no array of members is made).
    /// Anything the full path must judge stops the scan.
    private struct AnswerMembers: JSONMemberRecorder {
        let bytes: UnsafeRawBufferPointer
        var id: Range<Int>?
        var success: Range<Int>?
        var result: Range<Int>?
        var error: Range<Int>?

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        @inline(__always)
        mutating func record(_ member: JSONScanner.Member, expanded: Bool) -> Bool {
            // A name with an escape may spell any of these; duplicates are resolved by the parser's rule.
            guard !member.keyHasEscape else { return false }
            let key = member.key
            if JSONScanner.bytes(bytes, key, equal: "id") {
                guard id == nil else { return false }
                id = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "success") {
                guard success == nil else { return false }
                success = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "result") {
                guard result == nil else { return false }
                result = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "error") {
                guard error == nil else { return false }
                error = member.value
            } else if JSONScanner.bytes(bytes, key, equal: "type") || JSONScanner.bytes(bytes, key, equal: "command") {
                return false  // another kind of message, or the typed form of an answer: the full path
            } else if InboundMessage.isContainer(bytes, member.value) {
                // Ignored members may nest; the full parser bounds what it builds more tightly than
                // kept results, so a deep one is left to it.
                return false
            }
            return true
        }
    }

    fileprivate static func isContainer(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Bool {
        guard let first = value.first else { return false }
        return bytes[first] == UInt8(ascii: "{") || bytes[first] == UInt8(ascii: "[")
    }

    /// A scanned string value without escapes, as text (its UTF-8 is already checked); nil for anything else.
    package static func plainString(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> String? {
        guard let inner = plainStringRange(bytes, value) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[inner]), as: UTF8.self)
    }

    /// Where the text of a scanned string value without escapes lies, inside its quotes; nil for anything else.
    static func plainStringRange(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Range<Int>? {
        guard value.count >= 2, bytes[value.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = (value.lowerBound + 1)..<(value.upperBound - 1)
        guard !UnsafeRawBufferPointer(rebasing: bytes[inner]).contains(UInt8(ascii: "\\")) else { return nil }
        return inner
    }
}
