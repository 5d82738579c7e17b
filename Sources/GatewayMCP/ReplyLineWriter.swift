import GatewayCore

/// Writes a reply line into one allocation of its exact size. The line is described once, as a function
/// of a writer, and `line` runs that description twice: first measuring (nothing is written), then
/// writing into the array made for it. An array grown by appends cost a reallocation for the head and a
/// capacity check per piece, and escaping an editor's result byte by byte was most of a reply's cost.
///
/// A description must write the same pieces both times: it reads only values (its captured arguments).
struct ReplyLineWriter {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0
    /// What escaping each of the first quoted strings adds, counted while measuring, so that writing
    /// needs no second counting pass (`quotedExtras` slots; later strings are counted again).
    private var quotedExtras: (Int, Int, Int, Int) = (0, 0, 0, 0)
    private var quotedSeen = 0

    private init(base: UnsafeMutablePointer<UInt8>?, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// The bytes `describe` writes.
    static func line(_ describe: (inout ReplyLineWriter) -> Void) -> [UInt8] {
        var measuring = ReplyLineWriter(base: nil, capacity: Int.max)
        describe(&measuring)
        let size = measuring.count
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = ReplyLineWriter(base: buffer.baseAddress, capacity: size)
            writer.quotedExtras = measuring.quotedExtras
            describe(&writer)
            // Short quoted texts were given room for their worst case: the line may be shorter than measured.
            precondition(writer.count <= size, "a reply line wrote other pieces than it measured")
            initialized = writer.count
        }
    }

    /// A literal piece of the line.
    mutating func literal(_ text: StaticString) {
        raw(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Bytes as they are (JSON text already).
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { raw($0) }
    }

    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { raw($0) }
    }

    mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let base, let source = bytes.baseAddress, !bytes.isEmpty {
            precondition(count + bytes.count <= capacity, "a reply line outgrew what it measured")
            (base + count).update(from: source, count: bytes.count)
        }
        count += bytes.count
    }

    /// `text` as a JSON string: quoted and escaped as `JSONWriter.appendString` writes it. A short text
    /// is given room for the most its escapes can take and written in one pass; a longer one is counted
    /// first, so that a large result does not hold six times its size.
    mutating func quoted(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            let slot = quotedSeen
            quotedSeen += 1
            let counted = bytes.count > Self.longestUncounted
            guard let base else {
                let extra = counted ? JSONWriter.escapedExtra(bytes) : JSONWriter.maximumExtra(for: bytes.count)
                setExtra(extra, slot: slot)
                count += bytes.count + extra + 2
                return
            }
            let room = !counted ? JSONWriter.maximumExtra(for: bytes.count) : slot < 4 ? storedExtra(slot: slot) : JSONWriter.escapedExtra(bytes)
            precondition(count + bytes.count + room + 2 <= capacity, "a reply line outgrew what it measured")
            var out = base + count
            out.pointee = UInt8(ascii: "\"")
            out += 1
            if counted && room == 0 {
                if let source = bytes.baseAddress { out.update(from: source, count: bytes.count) }
                out += bytes.count
            } else {
                out = JSONWriter.writeEscaped(bytes, to: out)
            }
            out.pointee = UInt8(ascii: "\"")
            count = out + 1 - base
        }
    }

    /// Longer texts are counted before they are written (see `quoted`).
    static let longestUncounted = 16 * 1024

    private mutating func setExtra(_ extra: Int, slot: Int) {
        switch slot {
        case 0: quotedExtras.0 = extra
        case 1: quotedExtras.1 = extra
        case 2: quotedExtras.2 = extra
        case 3: quotedExtras.3 = extra
        default: break
        }
    }

    private func storedExtra(slot: Int) -> Int {
        switch slot {
        case 0: quotedExtras.0
        case 1: quotedExtras.1
        case 2: quotedExtras.2
        default: quotedExtras.3
        }
    }
}
