import FoundationEssentials
import Glibc

/// Version-4 UUIDs in lower case, for connection and command ids. Foundation's `UUID()` on Linux opens,
/// reads and closes /dev/urandom for every id (three system calls per routed command); this
/// takes the 16 bytes from one arc4random_buf call (getrandom) instead.
package enum RandomUUID {
    package static func make() -> String {
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
            buffer[6] = (buffer[6] & 0x0F) | 0x40  // version 4
            buffer[8] = (buffer[8] & 0x3F) | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes).uuidString.lowercased()
    }
}
