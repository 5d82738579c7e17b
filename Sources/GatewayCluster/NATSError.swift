import CNATS

/// A failed libnats call, with the library's own text and the last error it recorded.
package struct NATSError: Error, CustomStringConvertible, Sendable {
    package let operation: String
    package let status: Int32
    package let detail: String

    init(_ operation: String, _ status: natsStatus) {
        self.operation = operation
        self.status = Int32(bitPattern: status.rawValue)
        var last = natsStatus(0)
        let text = nats_GetLastError(&last).map { String(cString: $0) } ?? ""
        let statusText = natsStatus_GetText(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        detail = text.isEmpty ? statusText : "\(statusText): \(text)"
    }

    package var description: String { "\(operation) failed: \(detail)" }
}

/// Checks a libnats status: every C call's result is looked at.
@discardableResult
func check(_ status: natsStatus, _ operation: String, allowing allowed: [natsStatus] = []) throws(NATSError) -> natsStatus {
    guard status == NATS_OK || allowed.contains(status) else { throw NATSError(operation, status) }
    return status
}
