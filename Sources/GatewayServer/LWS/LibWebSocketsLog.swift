import GatewayCore
import CLWS
import FoundationEssentials
import Glibc

/// Routes libwebsockets' own log lines to stderr (never stdout, which carries MCP) at a quiet level.
enum LibWebSocketsLog {
    static func configure(verbose: Bool) {
        let levels = Int32(LLL_ERR | LLL_WARN) | (verbose ? Int32(LLL_NOTICE) : 0)
        lws_set_log_level(levels, emitToStandardError)
    }
}

private func emitToStandardError(_ level: Int32, _ line: UnsafePointer<CChar>?) {
    guard let line else { return }
    // write(2) on fd 2 rather than the `stderr` FILE global, which Swift 6 treats as shared mutable state.
    var text = Array("[lws] ".utf8)
    var cursor = line
    while cursor.pointee != 0 {
        text.append(UInt8(bitPattern: cursor.pointee))
        cursor += 1
    }
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
