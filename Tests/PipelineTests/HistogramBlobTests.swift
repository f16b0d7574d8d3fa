import Catalog
import ROOTIO
import Testing
import TestSupport

/// Stored contents: every number type through every codec (whole numbers packed; others LZ4 below 4 kB, zstd above,
/// plain when compression does not pay) reads back as exactly the doubles it came from, to the bit; damaged bytes
/// read as nil, not a crash.
struct HistogramBlobTests {
    /// Counts like a DQM histogram's (many repeats and zeros), or noise that does not compress.
    static func numbers(_ count: Int, compressible: Bool) -> [Double] {
        var generator = SplitMix64(seed: UInt64(count) &* (compressible ? 3 : 7))
        return (0..<count).map { _ in
            let draw = generator.next()
            return compressible ? Double(draw % 40) : Double(Int16(truncatingIfNeeded: draw))
        }
    }

    static func storages(_ values: [Double], compressible: Bool) -> [BinStorage] {
        var generator = SplitMix64(seed: 11)
        // Finite numbers of every exponent and mantissa (no NaN, which is not equal to itself).
        let floats = compressible ? values.map { Float($0) } : values.map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF) }
        let doubles = compressible ? values.map { $0 + 0.5 } : values.map { _ in Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) }
        return [.float32(floats), .float64(doubles), .int16(values.map { Int16($0) }), .int32(compressible ? values.map { Int32($0) * 1_000 } : values.map { _ in Int32(truncatingIfNeeded: generator.next()) })]
    }

    @Test(arguments: [0, 1, 100, 900, 1_024, 10_000], [true, false])
    func contentsReadBackExactly(count: Int, compressible: Bool) throws {
        let encoder = HistogramBlob.Encoder()
        for storage in Self.storages(Self.numbers(count, compressible: compressible), compressible: compressible) {
            let (code, bytes) = encoder.encode(storage)
            let expected = (0..<storage.count).map { storage[$0] }
            #expect(HistogramBlob.decode(bytes, code: code) == expected, "\(storage.elementSize)-byte numbers × \(count), code \(code)")
            #expect(bytes.count <= count * storage.elementSize, "never larger than plain")
            if compressible && count >= 100 { #expect(code >> 4 != 0 && bytes.count < count * storage.elementSize, "compressed") }
            if compressible && count >= 100, case .float64 = storage { #expect(code >> 4 != 3, "fractions are not packed") }
            if compressible && count >= 100, case .float32 = storage { #expect(code >> 4 == 3, "counts are packed") }
            if !compressible, count >= 100, case .int32 = storage { #expect(code >> 4 == 0, "random bits stay plain") }
        }
    }

    /// Whole numbers at the edges of what packing takes, and the numbers that must turn it down (so the histogram is
    /// stored another way): −0.0 (which would read back as 0.0), ±2³¹ and beyond, fractions, infinities and NaN.
    @Test func packingKeepsEveryBit() throws {
        let encoder = HistogramBlob.Encoder()
        let whole: [Double] = [0, 1, -1, 7, -2_147_483_648, 2_147_483_647, 16_777_216, -3, 1_000_000]
        // Blocks of 128 numbers: one near −2³¹, one at the largest float below 2³¹, then small ones (one block with
        // both ends would need 32 bits a number, no smaller than plain floats).
        let nearLowest: [Float] = (0..<128).map { $0 % 2 == 0 ? -2_147_483_648 : -2_147_483_520 }
        let wholeFloats = nearLowest + [Float](repeating: 2_147_483_520, count: 128) + (0..<128).map { Float($0 % 7) - 3 }
        let cases: [(BinStorage, packed: Bool)] = [
            (.float64((0..<300).map { whole[$0 % whole.count] }), true),
            (.float32(wholeFloats), true),
            (.float32((0..<300).map { Float($0 % 9) * 1_048_576 }), true),
            // Either side of 2²², where whole float32 numbers leave the vectorized conversion for the general one.
            (.float32((0..<300).map { Float($0 % 11) - 5 }), true),
            (.float32((0..<300).map { $0 % 2 == 0 ? 4_194_303 : -4_194_303 }), true),
            (.float32((0..<300).map { $0 % 2 == 0 ? 4_194_306 : 6 }), true),
            (.float32((0..<300).map { $0 % 2 == 0 ? -4_194_306 : 6 }), true),
            (.int32((0..<300).map { Int32.min + Int32($0) }), true),
            (.int16((0..<300).map { Int16($0 % 3) - 1 }), true),
            (.float64((0..<300).map { $0 == 150 ? -0.0 : Double($0 % 5) }), false),
            (.float32((0..<300).map { $0 == 299 ? -0.0 : Float($0 % 5) }), false),
            (.float64((0..<300).map { $0 == 7 ? 2_147_483_648 : Double($0 % 5) }), false),
            (.float64((0..<300).map { $0 == 7 ? -2_147_483_649 : Double($0 % 5) }), false),
            (.float32((0..<300).map { $0 == 0 ? 2_147_483_648 : Float($0 % 5) }), false),
            (.float32((0..<300).map { $0 == 200 ? 0.5 : Float($0 % 5) }), false),
            (.float64((0..<300).map { $0 == 200 ? .infinity : Double($0 % 5) }), false),
            (.float32((0..<300).map { $0 == 100 ? .nan : Float($0 % 5) }), false),
        ]
        for (storage, packed) in cases {
            let (code, bytes) = encoder.encode(storage)
            #expect((code >> 4 == 3) == packed, "\(storage.elementSize)-byte numbers: code \(code)")
            let decoded = try #require(HistogramBlob.decode(bytes, code: code))
            #expect(decoded.map(\.bitPattern) == (0..<storage.count).map { storage[$0].bitPattern })
        }
    }

    @Test func damagedContentsReadAsNil() throws {
        let encoder = HistogramBlob.Encoder()
        for count in [100, 10_000] {
            let counts = Self.numbers(count, compressible: true)
            // Packed whole numbers, and fractions through LZ4 or zstd.
            for storage in [BinStorage.float32(counts.map { Float($0) }), .float64(counts.map { $0 + 0.5 })] {
                let (code, bytes) = encoder.encode(storage)
                #expect(code >> 4 != 0)
                #expect(HistogramBlob.decode(Array(bytes.dropLast(3)), code: code) == nil, "truncated")
                #expect(HistogramBlob.decode(bytes + [0], code: code) == nil, "trailing bytes")
                #expect(HistogramBlob.decode(Array(bytes.prefix(2)), code: code) == nil, "header only")
                var flipped = bytes
                flipped[0] ^= 0xFF
                #expect(HistogramBlob.decode(flipped, code: code) == nil, "bad header")
                #expect(HistogramBlob.decode(bytes, code: code | 0x40) == nil, "unknown codec")
                #expect(HistogramBlob.decode(bytes, code: -1) == nil, "negative code")
                #expect(HistogramBlob.decode([1, 2, 3], code: HistogramBlob.Storage.float32.rawValue) == nil, "not whole numbers")
            }
        }
        // A packed block claiming more than 32 bits per number, and a count beyond the largest contents.
        let (code, bytes) = encoder.encode(.int32((0..<200).map { Int32($0) }))
        #expect(code >> 4 == 3)
        var wide = bytes
        wide[3] = 33  // count (2 bytes: 200), the first block's smallest number (1 byte: 0), then its width
        #expect(HistogramBlob.decode(wide, code: code) == nil, "width above 32")
        #expect(HistogramBlob.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0], code: code) == nil, "huge count")
    }
}
