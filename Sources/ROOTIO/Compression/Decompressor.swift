import CCompression

/// Inflates a ROOT record (key payload or basket) made of one or more compressed blocks.
///
/// Each block starts with a 9-byte header (core/zip/src/RZip.cxx, `R__unzip_header`):
///
/// | bytes | field                                                     |
/// |-------|-----------------------------------------------------------|
/// | 0–1   | algorithm: "ZL", "XZ", "L4", "ZS" ("CS" = pre-2000 ROOT)  |
/// | 2     | method                                                    |
/// | 3–5   | compressed size of the block, little-endian, after header |
/// | 6–8   | uncompressed size of the block, little-endian             |
///
/// LZ4 blocks then hold an 8-byte big-endian XXH64 of the compressed bytes that follow (counted in the
/// compressed size). Records larger than 16 MiB − 1 are split into several blocks. Every block is checked
/// against its header, and the whole against the key's object length.
public enum Decompressor {
    static let headerSize = 9

    /// The codec of the first block of `payload`, if it carries one.
    public static func codec(ofFirstBlock payload: ArraySlice<UInt8>) -> Codec? {
        guard payload.count >= headerSize else { return nil }
        let start = payload.startIndex
        return Codec(magic: (payload[start], payload[start + 1]))
    }

    /// Inflates the compressed bytes of `chunk` from index `start` on into exactly `uncompressedSize` bytes.
    public static func inflate(_ chunk: Chunk, from start: Int = 0, uncompressedSize: Int) throws -> Chunk {
        guard uncompressedSize >= 0 else {
            throw ROOTError(.malformed, "negative uncompressed size \(uncompressedSize)", offset: chunk.offset)
        }
        // Every byte is written by a block or the call throws, so the buffer need not be zeroed first.
        var output = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = uncompressedSize
        }
        var produced = 0
        var position = start
        let input = chunk.bytes
        while produced < uncompressedSize {
            let blockOffset = chunk.offset + Int64(position)
            guard input.count - position >= headerSize else {
                throw ROOTError(.truncated, "compressed record ends inside a block header after \(produced) of \(uncompressedSize) bytes", offset: blockOffset)
            }
            let magic = (input[position], input[position + 1])
            let compressedSize = Int(input[position + 3]) | Int(input[position + 4]) << 8 | Int(input[position + 5]) << 16
            let blockSize = Int(input[position + 6]) | Int(input[position + 7]) << 8 | Int(input[position + 8]) << 16
            position += headerSize
            guard let codec = Codec(magic: magic) else {
                let name = String(decoding: [magic.0, magic.1], as: UTF8.self)
                let code: ROOTError.Code = name == "CS" ? .unsupported : .malformed
                throw ROOTError(code, "unknown compression algorithm \"\(name)\" (bytes \(magic.0), \(magic.1))", offset: blockOffset)
            }
            guard compressedSize <= input.count - position else {
                throw ROOTError(.truncated, "\(codec.rawValue) block of \(compressedSize) bytes, only \(input.count - position) left", offset: blockOffset)
            }
            guard blockSize <= uncompressedSize - produced else {
                throw ROOTError(.mismatch, "\(codec.rawValue) block inflates to \(blockSize) bytes, only \(uncompressedSize - produced) expected", offset: blockOffset)
            }
            let got = try input.withUnsafeBytes { source in
                try output.withUnsafeMutableBytes { target in
                    let block = UnsafeRawBufferPointer(rebasing: source[position..<(position + compressedSize)])
                    let into = UnsafeMutableRawBufferPointer(rebasing: target[produced..<(produced + blockSize)])
                    return try inflateBlock(codec, block, into: into, at: blockOffset)
                }
            }
            guard got == blockSize else {
                throw ROOTError(.mismatch, "\(codec.rawValue) block inflated to \(got) bytes, its header says \(blockSize)", offset: blockOffset)
            }
            guard blockSize > 0 else {
                throw ROOTError(.malformed, "empty \(codec.rawValue) block", offset: blockOffset)
            }
            produced += blockSize
            position += compressedSize
        }
        return Chunk(bytes: output, offset: chunk.offset + Int64(start), decompressed: true)
    }

    private static func inflateBlock(_ codec: Codec, _ block: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        func failure(_ what: String) -> ROOTError {
            ROOTError(.compression, "\(codec.rawValue) block is corrupt: \(what)", offset: offset)
        }
        guard let source = block.baseAddress, let target = output.baseAddress else { return 0 }
        switch codec {
        case .zlib:
            var stream = z_stream()
            guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw failure("inflateInit") }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(block.count)
            stream.next_out = target.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = CCompression.inflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END else { throw failure("zlib status \(status)") }
            return Int(stream.total_out)
        case .lzma:
            // What the stream's header may make liblzma allocate: ROOT's strongest preset needs ~65 MiB.
            var memoryLimit: UInt64 = 256 << 20
            var inPosition = 0
            var outPosition = 0
            let status = lzma_stream_buffer_decode(&memoryLimit, 0, nil,
                                                   source.assumingMemoryBound(to: UInt8.self), &inPosition, block.count,
                                                   target.assumingMemoryBound(to: UInt8.self), &outPosition, output.count)
            guard status != LZMA_MEMLIMIT_ERROR else { throw failure("it asks for more than \(memoryLimit >> 20) MiB to decode") }
            guard status == LZMA_OK else { throw failure("lzma status \(status.rawValue)") }
            return outPosition
        case .zstd:
            let result = ZSTD_decompress(target, output.count, source, block.count)
            guard ZSTD_isError(result) == 0 else {
                throw failure(String(cString: ZSTD_getErrorName(result)))
            }
            return result
        case .lz4:
            let checksumSize = 8
            guard block.count >= checksumSize else { throw failure("shorter than its checksum") }
            let expected = (0..<checksumSize).reduce(UInt64(0)) { $0 << 8 | UInt64(block[$1]) }
            let payload = UnsafeRawBufferPointer(rebasing: block[checksumSize...])
            let actual = XXHash64.hash(payload)
            guard actual == expected else {
                throw ROOTError(.mismatch, "LZ4 block checksum \(String(actual, radix: 16)) differs from the stored \(String(expected, radix: 16))", offset: offset)
            }
            guard let payloadBase = payload.baseAddress else { throw failure("empty") }
            let result = LZ4_decompress_safe(payloadBase.assumingMemoryBound(to: CChar.self),
                                             target.assumingMemoryBound(to: CChar.self),
                                             Int32(payload.count), Int32(output.count))
            guard result >= 0 else { throw failure("lz4 status \(result)") }
            return Int(result)
        case .none:
            throw failure("not a codec")
        }
    }
}
