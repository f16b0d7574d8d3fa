import Catalog
import ROOTIO
import Testing
import TestSupport

/// Stored contents: every number type through every size class (LZ4 below 4 kB, zstd above, plain when
/// compression does not pay) reads back as exactly the doubles it came from; damaged bytes read as nil, not a crash.
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
            if !compressible, count >= 100, case .int32 = storage { #expect(code >> 4 == 0, "random bits stay plain") }
        }
    }

    @Test func damagedContentsReadAsNil() throws {
        let encoder = HistogramBlob.Encoder()
        for count in [100, 10_000] {
            let (code, bytes) = encoder.encode(.float32(Self.numbers(count, compressible: true).map { Float($0) }))
            #expect(code >> 4 != 0)
            #expect(HistogramBlob.decode(Array(bytes.dropLast(3)), code: code) == nil, "truncated")
            #expect(HistogramBlob.decode(Array(bytes.prefix(2)), code: code) == nil, "header only")
            var flipped = bytes
            flipped[0] ^= 0xFF
            #expect(HistogramBlob.decode(flipped, code: code) == nil, "bad header")
            #expect(HistogramBlob.decode(bytes, code: code | 0x40) == nil, "unknown codec")
            #expect(HistogramBlob.decode(bytes, code: -1) == nil, "negative code")
            #expect(HistogramBlob.decode([1, 2, 3], code: HistogramBlob.Storage.float32.rawValue) == nil, "not whole numbers")
        }
    }
}
