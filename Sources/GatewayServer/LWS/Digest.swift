import GatewayCore
import CLWS

/// SHA-256 of bytes, as lower-case hex (OpenSSL, through the C shim).
package enum Digest {
    package static func sha256Hex(_ bytes: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { clws_sha256(input.baseAddress, input.count, $0.baseAddress) }
        }
        guard ok == 1 else { return "" }
        return output.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
