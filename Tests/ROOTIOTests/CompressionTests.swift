import CCompression
import Foundation
import Testing
@testable import ROOTIO

/// Builds ROOT-framed blocks with the real codec libraries, then checks that `Decompressor` inflates them —
/// and refuses broken ones with the right error.
@Suite struct CompressionTests {
    static let sample: [UInt8] = (0..<50_000).map { UInt8(truncatingIfNeeded: ($0 * 7919) % 251 &+ ($0 / 1000)) }

    /// A ROOT block: 2-byte magic, method, 3-byte little-endian compressed and uncompressed sizes, payload.
    static func block(_ magic: String, _ payload: [UInt8], uncompressed: Int) -> [UInt8] {
        let c = payload.count
        let u = uncompressed
        return Array(magic.utf8) + [0, UInt8(c & 0xFF), UInt8((c >> 8) & 0xFF), UInt8(c >> 16),
                                    UInt8(u & 0xFF), UInt8((u >> 8) & 0xFF), UInt8(u >> 16)] + payload
    }

    static func zlib(_ data: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        _ = compress2(&out, &size, data, uLong(data.count), 6)
        return Array(out[0..<Int(size)])
    }

    static func lzma(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: data.count + 1024)
        var position = 0
        _ = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nil, data, data.count, &out, &position, out.count)
        return Array(out[0..<position])
    }

    static func zstd(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let size = ZSTD_compress(&out, out.count, data, data.count, 5)
        return Array(out[0..<size])
    }

    /// LZ4 as ROOT frames it: the XXH64 of the compressed bytes (big-endian) in front of them.
    static func lz4(_ data: [UInt8]) -> [UInt8] {
        var out = [CChar](repeating: 0, count: Int(LZ4_compressBound(Int32(data.count))))
        let size = data.withUnsafeBufferPointer { input in
            input.withMemoryRebound(to: CChar.self) { LZ4_compress_default($0.baseAddress, &out, Int32(data.count), Int32(out.count)) }
        }
        let compressed = out[0..<Int(size)].map { UInt8(bitPattern: $0) }
        let checksum = compressed.withUnsafeBytes { XXHash64.hash($0) }
        return (0..<8).map { UInt8((checksum >> (56 - 8 * UInt64($0))) & 0xFF) } + compressed
    }

    static func compressor(_ magic: String) -> (@Sendable ([UInt8]) -> [UInt8])? {
        switch magic {
        case "ZL": zlib
        case "XZ": lzma
        case "ZS": zstd
        case "L4": lz4
        default: nil
        }
    }

    @Test(arguments: ["ZL", "XZ", "ZS", "L4"])
    func inflatesEachCodec(_ magic: String) throws {
        let compress = try #require(Self.compressor(magic))
        let record = Self.block(magic, compress(Self.sample), uncompressed: Self.sample.count)
        let inflated = try Decompressor.inflate(Chunk(bytes: record, offset: 1000), uncompressedSize: Self.sample.count)
        #expect(inflated.bytes == Self.sample)
        #expect(Decompressor.codec(ofFirstBlock: record[...]) != nil)
    }

    @Test func inflatesRecordsOfSeveralBlocksWithDifferentCodecs() throws {
        let first = Array(Self.sample[0..<20_000])
        let second = Array(Self.sample[20_000...])
        let record = Self.block("ZS", Self.zstd(first), uncompressed: first.count)
            + Self.block("L4", Self.lz4(second), uncompressed: second.count)
        let inflated = try Decompressor.inflate(Chunk(bytes: record, offset: 0), uncompressedSize: Self.sample.count)
        #expect(inflated.bytes == Self.sample)
    }

    @Test func refusesAnLZ4BlockWhoseChecksumDisagrees() throws {
        var payload = Self.lz4(Self.sample)
        payload[payload.count - 1] ^= 0xFF
        let record = Self.block("L4", payload, uncompressed: Self.sample.count)
        let error = try #require(throws: ROOTError.self) {
            try Decompressor.inflate(Chunk(bytes: record, offset: 0), uncompressedSize: Self.sample.count)
        }
        #expect(error.code == .mismatch)
        #expect(error.description.contains("checksum"))
    }

    /// ZLIB and LZMA streams carry checksums (Adler-32, CRC-64), so flipped bytes anywhere are caught. ZSTD
    /// frames as ROOT writes them have none: there, structure and sizes are what can be checked.
    @Test(arguments: [("ZL", 3), ("XZ", 3), ("ZS", 0)])
    func refusesCorruptPayloads(_ magic: String, at third: Int) throws {
        let compress = try #require(Self.compressor(magic))
        var payload = compress(Self.sample)
        let start = payload.count * third / 9
        for i in start..<(start + 16) { payload[i] ^= 0x5A }
        let record = Self.block(magic, payload, uncompressed: Self.sample.count)
        #expect(throws: ROOTError.self) {
            try Decompressor.inflate(Chunk(bytes: record, offset: 0), uncompressedSize: Self.sample.count)
        }
    }

    @Test func refusesSizesThatDisagreeWithTheHeader() throws {
        let record = Self.block("ZS", Self.zstd(Self.sample), uncompressed: Self.sample.count)
        let error = try #require(throws: ROOTError.self) {
            try Decompressor.inflate(Chunk(bytes: record, offset: 0), uncompressedSize: Self.sample.count + 10)
        }
        #expect(error.code == .truncated)
        #expect(throws: ROOTError.self) {
            try Decompressor.inflate(Chunk(bytes: record, offset: 0), uncompressedSize: Self.sample.count - 10)
        }
    }

    @Test func refusesUnknownAndAncientAlgorithms() throws {
        let ancient = Self.block("CS", [1, 2, 3], uncompressed: 10)
        let error = try #require(throws: ROOTError.self) {
            try Decompressor.inflate(Chunk(bytes: ancient, offset: 64), uncompressedSize: 10)
        }
        #expect(error.code == .unsupported)
        #expect(error.offset == 64)
        let unknown = Self.block("QQ", [1, 2, 3], uncompressed: 10)
        #expect(throws: ROOTError.self) { try Decompressor.inflate(Chunk(bytes: unknown, offset: 0), uncompressedSize: 10) }
        #expect(throws: ROOTError.self) { try Decompressor.inflate(Chunk(bytes: [0x5A, 0x53, 0], offset: 0), uncompressedSize: 10) }
    }

    @Test func xxhash64MatchesTheReferenceVectors() {
        #expect([UInt8]().withUnsafeBytes { XXHash64.hash($0) } == 0xEF46_DB37_51D8_E999)
        #expect(Array("abc".utf8).withUnsafeBytes { XXHash64.hash($0) } == 0x44BC_2CF5_AD77_0999)
    }
}
