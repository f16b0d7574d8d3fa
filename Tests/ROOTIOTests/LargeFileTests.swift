import Testing
@testable import ROOTIO

/// Files past 2 GiB use 8-byte seeks: the large header format (fVersion ≥ 1000000), directory records and keys
/// with versions > 1000. A sparse in-memory source places records beyond 3 GiB without allocating gigabytes.
@Suite struct LargeFileTests {
    /// Zeros everywhere except the regions written.
    struct SparseSource: ByteSource {
        let size: Int64
        let regions: [(offset: Int64, bytes: [UInt8])]

        func read(at offset: Int64, count: Int) throws -> Chunk {
            guard offset >= 0, count >= 0, Int64(count) <= size - offset else {
                throw ROOTError(.truncated, "wanted \(count) bytes", offset: offset)
            }
            var out = [UInt8](repeating: 0, count: count)
            for region in regions {
                let start = max(offset, region.offset)
                let end = min(offset + Int64(count), region.offset + Int64(region.bytes.count))
                guard start < end else { continue }
                for position in start..<end {
                    out[Int(position - offset)] = region.bytes[Int(position - region.offset)]
                }
            }
            return Chunk(bytes: out, offset: offset)
        }
    }

    struct Writer {
        var bytes: [UInt8] = []
        mutating func i16(_ v: Int16) { append(UInt16(bitPattern: v)) }
        mutating func i32(_ v: Int32) { append(UInt32(bitPattern: v)) }
        mutating func i64(_ v: Int64) { append(UInt64(bitPattern: v)) }
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func string(_ s: String) { bytes.append(UInt8(s.utf8.count)); bytes += Array(s.utf8) }
        private mutating func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { bytes += $0 } }

        /// A key header with 8-byte seeks (version 1004).
        mutating func key(nbytes: Int32, objectLength: Int32, className: String, name: String, seekKey: Int64, seekParent: Int64) {
            let keyLength = Int16(18 + 16 + 3 + className.utf8.count + name.utf8.count)
            i32(nbytes); i16(1004); i32(objectLength); i32(0); i16(keyLength); i16(1)
            i64(seekKey); i64(seekParent)
            string(className); string(name); string("")
        }
    }

    @Test func readsKeysAndPayloadsBeyondFourGiB() throws {
        let far: Int64 = 5 << 30  // 5 GiB
        let payloadText = "stored past the 32-bit limit"
        // The object: a key then a std::string payload, at 5 GiB.
        var object = Writer()
        let objectKeyLength = 18 + 16 + 3 + "string".utf8.count + "farAway".utf8.count
        let payloadLength = 1 + payloadText.utf8.count
        object.key(nbytes: Int32(objectKeyLength + payloadLength), objectLength: Int32(payloadLength), className: "string",
                   name: "farAway", seekKey: far, seekParent: 100)
        object.string(payloadText)
        // The keys list at 5 GiB + 4096: its own header, a count, one key header.
        let keysAt = far + 4096
        var entry = Writer()
        entry.key(nbytes: Int32(objectKeyLength + payloadLength), objectLength: Int32(payloadLength), className: "string",
                  name: "farAway", seekKey: far, seekParent: 100)
        var keys = Writer()
        let listKeyLength = 18 + 16 + 3 + "TFile".utf8.count + "big.root".utf8.count
        keys.key(nbytes: Int32(listKeyLength + 4 + entry.bytes.count), objectLength: Int32(4 + entry.bytes.count),
                 className: "TFile", name: "big.root", seekKey: keysAt, seekParent: 100)
        keys.i32(1)
        keys.bytes += entry.bytes
        // Header (large format) and top directory record (version > 1000: 8-byte seeks).
        let infoAt = far + 8192
        let size = far + 16384
        var header = Writer()
        header.bytes += Array("root".utf8)
        header.i32(1_064_000); header.i32(100)
        header.i64(size); header.i64(0); header.i32(0); header.i32(0); header.i32(60); header.u8(8)
        header.i32(505); header.i64(infoAt); header.i32(100)
        var directory = Writer()
        directory.i16(1005); directory.i32(0); directory.i32(0)
        directory.i32(Int32(keys.bytes.count)); directory.i32(60)
        directory.i64(100); directory.i64(0); directory.i64(keysAt)
        let source = SparseSource(size: size, regions: [(0, header.bytes), (160, directory.bytes), (far, object.bytes), (keysAt, keys.bytes)])

        let file = try ROOTFile(source: source, path: "big.root")
        #expect(file.header.end == size)
        #expect(file.header.seekInfo == infoAt)
        let key = try file.key("farAway")
        #expect(key.seekKey == far)
        var cursor = try key.payloadCursor(from: source)
        #expect(try cursor.string() == payloadText)
    }
}
