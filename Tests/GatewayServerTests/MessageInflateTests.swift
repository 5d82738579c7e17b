import CLWS
import Testing

/// `clws_inflate_message` (Sources/CLWS/message_inflate.h) inflates small permessage-deflate messages in
/// place of lws' zlib inflater. What it inflates must be exactly what zlib inflates, and what it does not
/// take must be left to zlib: these compare the two on what zlib's deflate writes and on damaged copies.
@Suite struct MessageInflateTests {
    /// `message` deflated as a permessage-deflate sender does (raw, ending with a sync flush whose
    /// 00 00 ff ff is removed); `cut` splits it into blocks with full flushes first.
    static func deflated(_ message: [UInt8], level: Int32 = 1, strategy: Int32 = Z_DEFAULT_STRATEGY,
                         cut: [Int] = [], finish: Bool = false) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, strategy, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: message.count * 2 + 1024)
        var written = 0
        var pieces: [(Range<Int>, Int32)] = []
        var start = 0
        for end in cut { pieces.append((start..<end, Z_FULL_FLUSH)); start = end }
        pieces.append((start..<message.count, finish ? Z_FINISH : Z_SYNC_FLUSH))
        var input = message
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                for (range, flush) in pieces {
                    stream.next_in = inBuffer.baseAddress.map { $0 + range.lowerBound }
                    stream.avail_in = uInt(range.count)
                    stream.next_out = outBuffer.baseAddress.map { $0 + written }
                    stream.avail_out = uInt(outBuffer.count - written)
                    let status = deflate(&stream, flush)
                    precondition(status == Z_OK || status == Z_STREAM_END)
                    written = outBuffer.count - Int(stream.avail_out)
                }
            }
        }
        let sent = Array(output[0..<written])
        return finish ? sent : Array(sent.dropLast(4))  // a sync flush ends with 00 00 ff ff
    }

    /// zlib as lws 4.1 runs it for one message: a fresh raw inflater, the payload, then the trailer.
    static func zlibInflated(_ payload: [UInt8], capacity: Int = 1 << 20) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: capacity)
        var input = payload + [0, 0, 0xff, 0xff]
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                let status = inflate(&stream, Z_SYNC_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return nil }
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return produced.map { Array(output[0..<$0]) }
    }

    /// The shortcut's output, or nil when it leaves the message to zlib. Both compiled forms run (on x86-64
    /// with BMI2 the gateway uses the other one) and must agree.
    static func inflated(_ payload: [UInt8], capacity: Int = 16384) -> [UInt8]? {
        let chosen = inflated(payload, capacity: capacity, by: clws_inflate_message)
        let generic = inflated(payload, capacity: capacity, by: clws_inflate_message_generic)
        #expect(chosen == generic, "the two compiled forms disagree on \(payload.count) bytes")
        return chosen
    }

    static func inflated(
        _ payload: [UInt8], capacity: Int,
        by inflate: (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?) -> Int32
    ) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        let status = payload.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { outBuffer in
                inflate(input.baseAddress, input.count, outBuffer.baseAddress, capacity, &produced)
            }
        }
        return Int(status) == Int(CLWS_INFLATE_DONE) ? Array(output[0..<produced]) : nil
    }

    static func answer(_ index: Int) -> [UInt8] {
        Array(#"{"id":"f0e09482adcf41f3-\#(index)","success":true,"result":{"node":"/root/Main/Player","tree":[]},"error":null}"#.utf8)
    }

    /// Scene-tree-like JSON of about `bytes` bytes: names, types, paths and numbers, as editors answer.
    static func sceneTree(_ bytes: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var random = seed
        var text = "["
        var index = 0
        while text.utf8.count < bytes {
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            let type = ["Node2D", "Sprite2D", "Label", "Area2D"][Int(random % 4)]
            text += (index == 0 ? "" : ",") + #"{"name":"\#(type)_\#(index)","position":[\#(random % 4000),\#(random % 977)]}"#
            index += 1
        }
        return Array((text + "]").utf8)
    }

    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = seed | 1
        return (0..<count).map { _ in
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            return UInt8(truncatingIfNeeded: random)
        }
    }

    static let messages: [[UInt8]] = [
        answer(1), answer(123_456), Array("{}".utf8), Array("x".utf8), sceneTree(3000), sceneTree(12000, seed: 7),
        noise(600, seed: 3), [UInt8](repeating: 0x41, count: 5000), Array((0..<1000).map { UInt8($0 % 7) }),
    ]

    @Test func inflatesWhatZlibDeflatesAtEveryLevelAndStrategy() {
        let strategies = [Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED]
        for message in Self.messages {
            for level in Int32(0)...9 {
                for strategy in strategies {
                    let payload = Self.deflated(message, level: level, strategy: strategy)
                    #expect(Self.inflated(payload) == message, "level \(level), strategy \(strategy), \(message.count) bytes")
                }
            }
        }
    }

    @Test func inflatesAMessageOfSeveralBlocks() {
        let message = Self.sceneTree(4000)
        let payload = Self.deflated(message, level: 6, cut: [10, 1500, 1501, 3000])
        #expect(Self.inflated(payload) == message)
        #expect(Self.zlibInflated(payload) == message)
    }

    /// RFC 7692 7.2.3.3: a sender may end a message with a final block instead of an empty stored one.
    @Test func inflatesAMessageEndingInAFinalBlock() {
        for message in Self.messages {
            for level in [Int32(0), 1, 9] {
                let payload = Self.deflated(message, level: level, finish: true)
                #expect(Self.inflated(payload, capacity: 32768) == message, "level \(level), \(message.count) bytes")
                #expect(Self.zlibInflated(payload) == message)
            }
        }
    }

    @Test func leavesToZlibWhatItDoesNotTake() throws {
        let message = Self.answer(42)
        // Bytes after a final block: zlib ignores them, lws 4.1 keeps them as the next message's input.
        #expect(Self.inflated(Self.deflated(message, finish: true) + [0]) == nil)
        // Output past the capacity.
        let large = Self.sceneTree(20000)
        #expect(Self.inflated(Self.deflated(large)) == nil)
        #expect(Self.inflated(Self.deflated(large), capacity: 32768) == large)
        // Input that ends inside a block, or is empty.
        let payload = Self.deflated(message)
        for length in [0, 1, 2, payload.count / 2, payload.count - 1] {
            #expect(Self.inflated(Array(payload.prefix(length))) == nil, "cut at \(length)")
        }
        // The reserved block type 3.
        #expect(Self.inflated([0x06, 0x00]) == nil)
        // A fixed block whose first symbol is a match: a distance before the message, which zlib refuses.
        let tooFarBack: [UInt8] = [0x02, 0x02, 0x00]  // BTYPE 01, length 3 distance 1, end of block, stored
        #expect(Self.zlibInflated(tooFarBack) == nil)
        #expect(Self.inflated(tooFarBack) == nil)
    }

    /// Every capacity around a message's size: taken whole from its own size up, left to zlib below it.
    /// (The decoder stops checking room per literal while 64 bytes are left; this crosses that edge at
    /// every distance from the end, with literals, matches and stored blocks.)
    @Test func takesAMessageOnlyWhenItFitsItsCapacity() {
        for message in [Self.answer(7), Self.sceneTree(700), Self.noise(300, seed: 9)] {
            for level in [Int32(0), 1, 6] {
                let payload = Self.deflated(message, level: level)
                for capacity in max(0, message.count - 80)...(message.count + 80) {
                    let expected = capacity >= message.count ? message : nil
                    #expect(Self.inflated(payload, capacity: capacity) == expected,
                            "level \(level), \(message.count) bytes, capacity \(capacity)")
                }
            }
        }
    }

    /// Damaged copies of deflated messages: whatever the shortcut takes, zlib takes too, with the same bytes.
    @Test func neverTakesWhatZlibRefusesAndAgreesOnWhatItTakes() {
        var random: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            return Int(random % UInt64(bound))
        }
        let payloads = Self.messages.flatMap { message in
            [Self.deflated(message, level: 1), Self.deflated(message, level: 9), Self.deflated(message, strategy: Z_FIXED),
             Self.deflated(message, finish: true)]
        }.filter { !$0.isEmpty }
        var taken = 0, damagedTaken = 0
        for _ in 0..<20000 {
            var payload = payloads[next(payloads.count)]
            let original = payload
            for _ in 0...next(3) {
                switch next(4) {
                case 0: payload[next(payload.count)] ^= UInt8(1 << next(8))
                case 1: payload[next(payload.count)] = UInt8(next(256))
                case 2: payload = Array(payload.prefix(max(1, next(payload.count))))
                default: payload.insert(UInt8(next(256)), at: next(payload.count))
                }
            }
            guard let ours = Self.inflated(payload) else { continue }
            taken += 1
            if payload != original { damagedTaken += 1 }
            #expect(Self.zlibInflated(payload, capacity: 16384) == ours, "payload \(payload)")
        }
        // Not vacuous: some damaged payloads still inflate (a changed literal, say) and were compared.
        #expect(damagedTaken > 100, "\(taken) taken, \(damagedTaken) damaged")
    }
}
