/// Whole numbers packed by frame of reference: blocks of 128 numbers, each stored as its smallest number and just
/// enough bits per number for the spread above it. Most DQM contents are counts (a float holding a whole number):
/// packing them costs a few nanoseconds per number where zstd, which spends its time looking for matches in
/// mantissa bytes that are noise, cost ~10, and the result is about as small (see the README's Catalog section).
///
/// | bytes         | meaning                                                                    |
/// |---------------|----------------------------------------------------------------------------|
/// | varint        | how many numbers (LEB128)                                                  |
/// | per block:    |                                                                            |
/// | varint        | the block's smallest number, zigzag-encoded (LEB128)                       |
/// | 1             | bits per number, 0–32 (0: every number equals the smallest)                |
/// | ⌈n·bits / 8⌉  | each number minus the smallest, `bits` bits, least significant bit first   |
enum PackedIntegers {
    static let blockSize = 128
    /// The packed bytes of `numbers`.
    static func pack(_ numbers: UnsafeBufferPointer<Int32>) -> [UInt8] {
        let count = numbers.count
        let capacity = 10 + (count / blockSize + 1) * 11 + count * 4
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, filled in
            guard let target = out.baseAddress, let source = numbers.baseAddress else {
                filled = 0
                return
            }
            var at = 0
            writeVarint(UInt64(count), to: target, at: &at)
            var start = 0
            while start < count {
                let end = min(start + blockSize, count)
                var low = source[start], high = low
                for index in start..<end {
                    low = min(low, source[index])
                    high = max(high, source[index])
                }
                let spread = UInt32(bitPattern: high &- low)
                let width = 32 - spread.leadingZeroBitCount
                let zigzag = Int64(low) << 1 ^ Int64(low) >> 63
                writeVarint(UInt64(bitPattern: zigzag), to: target, at: &at)
                target[at] = UInt8(width)
                at += 1
                if width > 0 {
                    // Whole 32-bit words while they fill, then the last bytes: ⌈n·bits / 8⌉ bytes in all.
                    var pending: UInt64 = 0, bits = 0
                    for index in start..<end {
                        pending |= UInt64(UInt32(bitPattern: source[index] &- low)) << UInt64(bits)
                        bits += width
                        if bits >= 32 {
                            UnsafeMutableRawPointer(target + at).storeBytes(of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
                            at += 4
                            pending >>= 32
                            bits -= 32
                        }
                    }
                    while bits > 0 {
                        target[at] = UInt8(truncatingIfNeeded: pending)
                        at += 1
                        pending >>= 8
                        bits -= 8
                    }
                }
                start = end
            }
            filled = at
        }
    }

    /// The numbers packed in `bytes`; nil unless they are exactly a packing of at most `maximumCount` numbers.
    static func unpack(_ bytes: [UInt8], maximumCount: Int) -> [Int64]? {
        bytes.withUnsafeBufferPointer { source -> [Int64]? in
            guard let base = source.baseAddress else { return nil }
            var at = 0
            guard let declared = readVarint(source, at: &at), declared <= UInt64(maximumCount) else { return nil }
            let count = Int(declared)
            var numbers = [Int64]()
            numbers.reserveCapacity(count)
            while numbers.count < count {
                guard let zigzag = readVarint(source, at: &at), at < source.count else { return nil }
                let low = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
                let width = Int(base[at])
                at += 1
                let blockCount = min(blockSize, count - numbers.count)
                guard width <= 32, (blockCount * width + 7) / 8 <= source.count - at else { return nil }
                // The bytes are checked above: the loop reads exactly ⌈n·bits / 8⌉ of them.
                let mask: UInt64 = (1 << UInt64(width)) - 1
                var pending: UInt64 = 0, bits = 0
                for _ in 0..<blockCount {
                    while bits < width {
                        pending |= UInt64(base[at]) << UInt64(bits)
                        at += 1
                        bits += 8
                    }
                    numbers.append(low &+ Int64(pending & mask))
                    pending >>= UInt64(width)
                    bits -= width
                }
            }
            return at == source.count ? numbers : nil
        }
    }

    private static func writeVarint(_ value: UInt64, to target: UnsafeMutablePointer<UInt8>, at: inout Int) {
        var rest = value
        while rest >= 0x80 {
            target[at] = UInt8(truncatingIfNeeded: rest) | 0x80
            at += 1
            rest >>= 7
        }
        target[at] = UInt8(rest)
        at += 1
    }

    /// A LEB128 number of at most 10 bytes; nil when the bytes end first or it overflows 64 bits.
    private static func readVarint(_ source: UnsafeBufferPointer<UInt8>, at: inout Int) -> UInt64? {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard at < source.count else { return nil }
            let byte = source[at]
            at += 1
            if shift == 63 && byte > 1 { return nil }
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return value }
        }
        return nil
    }
}
