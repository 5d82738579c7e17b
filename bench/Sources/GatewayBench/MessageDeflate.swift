import CZlib

/// The client side of permessage-deflate (RFC 7692) for the benchmark's editors. The client offers
/// `client_no_context_takeover`, so it resets its compressor per message; its decompressor keeps its
/// window, which is correct whether or not the server resets its own compressor.
final class MessageDeflate {
    enum Failure: Error { case zlib(String, Int32) }

    private var compressor = z_stream()
    private var decompressor = z_stream()
    private static let tail: [UInt8] = [0x00, 0x00, 0xff, 0xff]

    /// Level 1, like libwebsockets' default: an editor should not spend long compressing its answer.
    init(level: Int32 = 1) throws {
        guard czlib_deflate_init(&compressor, level) == Z_OK else { throw Failure.zlib("deflateInit2", -1) }
        guard czlib_inflate_init(&decompressor) == Z_OK else { throw Failure.zlib("inflateInit2", -1) }
    }

    deinit {
        deflateEnd(&compressor)
        inflateEnd(&decompressor)
    }

    func compress(_ message: [UInt8]) throws -> [UInt8] {
        deflateReset(&compressor)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&compressor, uLong(message.count))) + 16)
        var input = message
        let produced = try input.withUnsafeMutableBufferPointer { inBuffer in
            try output.withUnsafeMutableBufferPointer { outBuffer in
                compressor.next_in = inBuffer.baseAddress
                compressor.avail_in = uInt(inBuffer.count)
                compressor.next_out = outBuffer.baseAddress
                compressor.avail_out = uInt(outBuffer.count)
                let status = deflate(&compressor, Z_SYNC_FLUSH)
                guard status == Z_OK, compressor.avail_in == 0 else { throw Failure.zlib("deflate", status) }
                return outBuffer.count - Int(compressor.avail_out)
            }
        }
        // A sync flush ends with 00 00 ff ff; the extension drops it on the wire.
        return Array(output[0..<(produced - Self.tail.count)])
    }

    func decompress(_ payload: [UInt8]) throws -> [UInt8] {
        var input = payload + Self.tail
        var message = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        try input.withUnsafeMutableBufferPointer { inBuffer in
            decompressor.next_in = inBuffer.baseAddress
            decompressor.avail_in = uInt(inBuffer.count)
            repeat {
                let produced = try chunk.withUnsafeMutableBufferPointer { outBuffer in
                    decompressor.next_out = outBuffer.baseAddress
                    decompressor.avail_out = uInt(outBuffer.count)
                    let status = inflate(&decompressor, Z_SYNC_FLUSH)
                    guard status == Z_OK || status == Z_BUF_ERROR else { throw Failure.zlib("inflate", status) }
                    return outBuffer.count - Int(decompressor.avail_out)
                }
                message += chunk[0..<produced]
            } while decompressor.avail_in > 0 || decompressor.avail_out == 0
        }
        return message
    }
}
