import Foundation
@testable import Pipeline
import Testing
import TestSupport

/// The storage walk: every `.root` file, a heartbeat as it goes (so a long walk is not taken for a stalled job),
/// and a stop when its task is cancelled.
@Suite struct StorageScannerTests {
    @Test func walksEveryFolderWithHeartbeatsAndStopsWhenCancelled() async throws {
        let root = try PipelineTests.storage()
        var folders = 1
        var rootFiles = 0
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]))
        for case let url as URL in enumerator {
            if try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true { folders += 1 }
            else if url.pathExtension == "root" { rootFiles += 1 }
        }

        var beats = 0
        let result = try await StorageScanner().scan(root: root.path, heartbeatInterval: .zero) { beats += 1 }
        #expect(result.files.count == rootFiles && rootFiles > 0)
        #expect(beats == folders, "a heartbeat per folder when every moment is due")

        let walk = Task { try await StorageScanner().scan(root: root.path, heartbeatInterval: .zero) { withUnsafeCurrentTask { $0?.cancel() } } }
        await #expect(throws: CancellationError.self) { try await walk.value }
    }
}

/// The walk on what storage really holds: big trees, every name length, names that are not UTF-8, roots that are
/// gone. (Reading `dirent.d_name` by copying the struct read past the kernel's buffer and crashed big walks.)
@Suite struct StorageWalkTests {
    /// 10⁵ entries over 400 folders, with names of every length from 1 to 255 bytes (the longest a name can be),
    /// a fifth of them `.root` files; walked three times, each finding exactly those.
    @Test func walksATreeOfATenthOfAMillionEntriesWithNamesOfEveryLength() async throws {
        let root = try TemporaryFolder().url
        defer { try? FileManager.default.removeItem(at: root) }
        var expected = Set<String>()
        var made = 0
        for folderNumber in 0..<400 {
            let folder = root.appendingPathComponent("folder\(folderNumber)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            made += 1
            // Folder k holds one name of each length from 1 + k % 7 to 249 + k % 7: all of 1…255 across folders.
            for length in (1 + folderNumber % 7)...(249 + folderNumber % 7) {
                let isROOT = length % 5 == 0 && length > 5
                let name = String(repeating: "x", count: length - (isROOT ? 5 : 0)) + (isROOT ? ".root" : "")
                let path = folder.appendingPathComponent(name).path
                #expect(FileManager.default.createFile(atPath: path, contents: nil), "\(path)")
                if isROOT { expected.insert(path) }
                made += 1
            }
        }
        #expect(made >= 100_000)
        for _ in 0..<3 {
            let result = try await StorageScanner().scan(root: root.path)
            #expect(Set(result.files.map(\.path)) == expected)
            #expect(result.problems.isEmpty, "\(result.problems.prefix(3))")
        }
    }

    @Test func aRootThatCannotBeListedThrowsNamingIt() async throws {
        let gone = try TemporaryFolder().url.appendingPathComponent("unmounted").path
        await #expect { try await StorageScanner().scan(root: gone) } throws: { error in
            "\(error)".contains(gone) && "\(error)".contains("No such file")
        }
        let file = try TemporaryFolder().url.appendingPathComponent("a.root").path
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        await #expect { try await StorageScanner().scan(root: file) } throws: { "\($0)".contains("not a folder") }
    }

    /// A name that is not UTF-8 cannot be stored faithfully as a path: it is named in the problems (its bytes
    /// escaped), never dropped unseen, and the files beside it are found.
    @Test func namesThatAreNotUTF8AreReportedByTheirBytes() async throws {
        let root = try TemporaryFolder().url
        let rootBytes = Array(root.path.utf8)
        func make(_ relative: [UInt8], folder: Bool) {
            let path = (rootBytes + [UInt8(ascii: "/")] + relative).map { CChar(bitPattern: $0) } + [0]
            if folder { #expect(mkdir(path, 0o755) == 0) } else { #expect(creat(path, 0o644) >= 0) }
        }
        make(Array("bad".utf8) + [0xFF] + Array(".root".utf8), folder: false)   // bad\xff.root
        make([0xFE, 0x41], folder: true)                                                          // \xfeA/
        make([0xFE, 0x41, UInt8(ascii: "/")] + Array("inside.root".utf8), folder: false)
        make(Array("good.root".utf8), folder: false)
        let result = try await StorageScanner().scan(root: root.path)
        #expect(result.files.map(\.path) == [root.path + "/good.root"])
        #expect(result.problems.count == 2, "\(result.problems)")
        #expect(result.problems.contains { $0.contains(root.path + "/bad\\xff.root") && $0.contains("not valid UTF-8") })
        #expect(result.problems.contains { $0.contains(root.path + "/\\xfeA") && $0.contains("not valid UTF-8") })
    }
}

/// Paths below a root, counted in bytes: the root `/` included, and a name that starts with a combining mark (which
/// joins the slash before it into one character).
@Suite struct RelativePathTests {
    @Test func relativePathsAreCutInBytes() {
        #expect(StorageScanner.relative("/etc/x.root", to: "/") == "etc/x.root")
        #expect(StorageScanner.relative("/eos/cms/x.root", to: "/eos") == "cms/x.root")
        #expect(StorageScanner.relative("/eos/\u{301}x.root", to: "/eos") == "\u{301}x.root")
        #expect(StorageScanner.relative("/other/x.root", to: "/eos") == "/other/x.root")
        #expect(StorageScanner.normalized("/eos//") == "/eos" && StorageScanner.normalized("/") == "/")
    }
}

/// The name of a directory record is read within the record: one placed at the very end of a page, with an
/// unmapped page after it, is read without touching that page (copying `d_name`'s declared 256 bytes faulted).
@Suite struct DirectoryEntryNameTests {
    @Test func aRecordAtTheEndOfItsBufferIsReadWithinIt() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(memory != MAP_FAILED)
        defer { munmap(memory, 2 * page) }
        #expect(mprotect(memory.advanced(by: page), page, PROT_NONE) == 0)
        let name = Array("twelve.chars".utf8) + [0]  // 19 + 13 bytes: the record stays 8-byte aligned
        let nameOffset = try #require(MemoryLayout<dirent>.offset(of: \dirent.d_name))
        let record = memory.advanced(by: page - nameOffset - name.count)
        memset(record, 0, nameOffset)
        record.advanced(by: nameOffset).copyMemory(from: name, byteCount: name.count)
        let entry = record.assumingMemoryBound(to: dirent.self)
        #expect(StorageScanner.entryName(entry) == Array("twelve.chars".utf8))
    }
}
