import Foundation
import Testing
import TestSupport
@testable import ROOTIO

/// Numbers in a file that are readable but impossible, at the places where the arithmetic on them once trapped.
/// The uncompressed fixture (run 367094) keeps every record raw, so a field can be changed in place.
@Suite struct DamagedFieldTests {
    static func uncompressed() throws -> (bytes: [UInt8], file: ROOTFile) {
        let path = try Fixtures.file(run: "367094")
        return (try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), try ROOTFile(path: path))
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func value<T: FixedWidthInteger>(_ type: T.Type, in bytes: [UInt8], at offset: Int) -> T? {
        guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else { return nil }
        return bytes[offset..<(offset + MemoryLayout<T>.size)].reduce(T.zero) { $0 << 8 | T($1) }
    }

    static func offsets(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard let first = pattern.first, bytes.count >= pattern.count else { return [] }
        return (0...(bytes.count - pattern.count)).filter { start in
            bytes[start] == first && Array(bytes[start..<(start + pattern.count)]) == pattern
        }
    }

    /// Where branch `name` of the Indices tree keeps fBasketEntry[0] in the raw file: the TBranch streams
    /// fBasketBytes (i32), fBasketEntry and fBasketSeek (i64), `fMaxBaskets` each behind a one-byte flag, so the
    /// first basket's seek is found and the arrays before it are checked against what the reader made of them.
    static func firstBasketEntryOffset(branch name: String, in bytes: [UInt8], file: ROOTFile) throws -> Int {
        let branch = try Tree.read(named: "Indices", from: file).branch(name)
        guard case .stored(let location) = try #require(branch.baskets.first) else { throw ROOTError(.notFound, "no stored basket") }
        for seekArray in offsets(of: bigEndian(location.seek), in: bytes) {
            for maxBaskets in 1...64 {
                let entryArray = seekArray - 1 - 8 * maxBaskets
                let bytesArray = entryArray - 1 - 4 * maxBaskets
                if value(Int64.self, in: bytes, at: entryArray) == location.firstEntry,
                   value(Int32.self, in: bytes, at: bytesArray) == location.bytes {
                    return entryArray
                }
            }
        }
        throw ROOTError(.notFound, "fBasketEntry of \(name) not found")
    }

    @Test func refusesAStreamerInfoSeekNearTheLargestInteger() throws {
        // A large-file header (64-bit seeks) whose fSeekInfo + fNbytesInfo would overflow.
        var header = Array("root".utf8)
        header += Self.bigEndian(Int32(1_064_000)) + Self.bigEndian(Int32(100))  // fVersion, fBEGIN
        header += Self.bigEndian(Int64(512)) + Self.bigEndian(Int64(0))  // fEND, fSeekFree
        header += Self.bigEndian(Int32(0)) + Self.bigEndian(Int32(0)) + Self.bigEndian(Int32(50))  // fNbytesFree, nfree, fNbytesName
        header += [8] + Self.bigEndian(Int32(0))  // fUnits, fCompress
        header += Self.bigEndian(Int64.max) + Self.bigEndian(Int32(1))  // fSeekInfo, fNbytesInfo
        let bytes = header + [UInt8](repeating: 0, count: 512 - header.count)
        let error = try #require(throws: ROOTError.self) { try ROOTFile(source: MemoryByteSource(bytes), path: "seek.root") }
        #expect(error.description.contains("streamer-info record"))
    }

    @Test(arguments: [Int64.min, -1, Int64.max])
    func refusesABasketStartingOutsideTheBranch(_ firstEntry: Int64) throws {
        var (bytes, file) = try Self.uncompressed()
        let offset = try Self.firstBasketEntryOffset(branch: "Run", in: bytes, file: file)
        bytes.replaceSubrange(offset..<(offset + 8), with: Self.bigEndian(firstEntry))
        let damaged = try ROOTFile(source: MemoryByteSource(bytes), path: "entry.root")
        let error = try #require(throws: ROOTError.self) { try Tree.read(named: "Indices", from: damaged) }
        #expect(error.description.contains("starts at entry \(firstEntry), outside 0..."))
    }

    @Test func refusesBranchesNestedTooDeep() throws {
        // The first branch streamed in the file, with its class tag (new-class marker, "TBranch\0") before it.
        let (bytes, _) = try Self.uncompressed()
        let tag = [0xFF, 0xFF, 0xFF, 0xFF] + Array("TBranch".utf8) + [0]
        let start = try #require(Self.offsets(of: tag, in: bytes).first) + tag.count
        let chunk = Chunk(bytes: bytes, offset: 0)
        var cursor = chunk.cursor(at: start)
        #expect(try Branch.read(&cursor, className: "TBranch", end: nil, fileSize: Int64(bytes.count), depth: 0).name == "Run")
        cursor = chunk.cursor(at: start)
        let error = try #require(throws: ROOTError.self) {
            try Branch.read(&cursor, className: "TBranch", end: nil, fileSize: Int64(bytes.count), depth: Branch.maximumDepth)
        }
        #expect(error.description.contains("nested more than \(Branch.maximumDepth) deep"))
    }
}
