import Foundation
import Testing
import TestSupport
@testable import DQMIO
import ROOTIO

/// Malformed input: a clear error naming the file, never a crash or a silent partial success.
@Suite struct BadFileTests {
    /// Opens and reads every default ME; returns how many were read.
    @discardableResult
    func readAll(_ path: String, threads: Int = 1) throws -> Int {
        var count = 0
        try DQMIOFile(path: path).forEachMonitorElement(threads: threads) { _ in count += 1 }
        return count
    }

    @Test(arguments: Fixtures.badNames)
    func badFilesFailNamingTheFile(_ name: String) throws {
        let path = Fixtures.bad(name)
        for threads in [1, 2] {
            do {
                try readAll(path, threads: threads)
                Issue.record("\(name) read without error")
            } catch {
                let text = String(describing: error)
                #expect(text.hasPrefix(path), "\(text)")
                #expect(!text.contains("\n"))
            }
        }
    }

    @Test func theCorruptBasketIsNamed() throws {
        let error = try #require(throws: ROOTError.self) { try readAll(Fixtures.bad("corrupt_payload.root")) }
        #expect(error.description.contains("branch Value"))
        #expect(error.offset != nil)
    }

    /// Inputs the fuzzer once found harmful (Tests/Fixtures/fuzz): each must be refused with an error.
    @Test func fuzzerFindingsAreRefused() throws {
        let folder = Fixtures.root.deletingLastPathComponent().appendingPathComponent("fuzz")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.isEmpty)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            #expect(throws: (any Error).self, "\(name)") {
                let file = try DQMIOFile(root: ROOTFile(source: MemoryByteSource(bytes), path: name))
                _ = try FileSummary(file)
                try file.forEachMonitorElement(Selection(includeRunLevel: true), threads: 1) { _ in }
            }
        }
    }

    /// Every prefix of a good file (cut at many points) is refused with an error — none reads as a whole.
    @Test func everyTruncationIsRefused() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Fixtures.file(run: "381200"))))
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            let source = MemoryByteSource(Array(bytes[0..<length]))
            #expect(throws: (any Error).self, "length \(length)") {
                var count = 0
                try DQMIOFile(root: ROOTFile(source: source, path: "cut")).forEachMonitorElement(threads: 1) { _ in count += 1 }
            }
        }
    }

    /// Flipped bytes anywhere: the reader either reads a file (the flip hit padding or a value) or throws;
    /// it never traps. Deterministic, so a failure reproduces.
    @Test func flippedBytesNeverCrash() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Fixtures.file(run: "380008"))))
        var generator = SplitMix64(seed: 2026)
        var refused = 0
        for _ in 0..<300 {
            var damaged = bytes
            let at = Int(generator.next() % UInt64(bytes.count))
            for i in at..<min(bytes.count, at + 1 + Int(generator.next() % 8)) { damaged[i] ^= UInt8(truncatingIfNeeded: generator.next() | 1) }
            do {
                try DQMIOFile(root: ROOTFile(source: MemoryByteSource(damaged), path: "flipped")).forEachMonitorElement(threads: 1) { _ in }
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    /// Indices rows whose ranges overlap, claiming together more entries than a tree can hold: refused when the
    /// file is opened, before any sum of ME counts could overflow. (The uncompressed fixture keeps its baskets raw.)
    /// The uncompressed fixture's bytes with every row of the given 64-bit Indices columns set to a value (it keeps
    /// its baskets raw, one per column).
    static func uncompressedFixture(setting columns: [(String, UInt64)]) throws -> [UInt8] {
        let path = try Fixtures.file(run: "367094")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let indices = try Tree.read(named: "Indices", from: try ROOTFile(path: path))
        for (name, value) in columns {
            let branch = try indices.branch(name)
            #expect(branch.baskets.count == 1)
            guard case .stored(let location) = try #require(branch.baskets.first) else { throw ROOTError(.notFound, "\(name): no stored basket") }
            let seek = Int(location.seek)
            let keyLength = Int(bytes[seek + 14]) << 8 | Int(bytes[seek + 15])  // TKey: fNbytes, fVersion, fObjLen, fDatime, fKeylen
            for row in 0..<Int(indices.entries) {
                let at = seek + keyLength + 8 * row
                bytes.replaceSubrange(at..<(at + 8), with: withUnsafeBytes(of: value.bigEndian) { Array($0) })
            }
        }
        return bytes
    }

    @Test func refusesIndicesClaimingMoreEntriesThanATreeHolds() throws {
        let bytes = try Self.uncompressedFixture(setting: [("FirstIndex", 0), ("LastIndex", IndexEntry.maximumEntry - 1)])
        let error = try #require(throws: DQMIOError.self) {
            try DQMIOFile(root: ROOTFile(source: MemoryByteSource(bytes), path: "overlap.root"))
        }
        #expect(error.description.hasPrefix("overlap.root: "))
        #expect(error.description.contains("more than any tree holds"))
    }

    /// A file without times (all zero) or a GUID key still reads, and `inspect --json` still names every field, as null.
    @Test func aSummaryWithoutGUIDOrTimesKeepsEveryKey() throws {
        var bytes = try Self.uncompressedFixture(setting: [("BeginTime", 0), ("EndTime", 0)])
        let guid = Array("cms::edm::GUID".utf8)
        for start in 0...(bytes.count - guid.count) where bytes[start] == guid[0] && Array(bytes[start..<(start + guid.count)]) == guid {
            bytes[start + guid.count - 1] = UInt8(ascii: "X")
        }
        let summary = try FileSummary(DQMIOFile(root: ROOTFile(source: MemoryByteSource(bytes), path: "plain.root")))
        #expect(summary.guid == nil && summary.firstTime == nil && summary.lastTime == nil)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(object.keys) == ["path", "size", "rootVersion", "guid", "compressionSetting", "codecs", "runs", "lumisections",
                                      "emptyLumisections", "monitorElements", "firstTime", "lastTime"])
        #expect(object["guid"] is NSNull && object["firstTime"] is NSNull && object["lastTime"] is NSNull)
    }
}
