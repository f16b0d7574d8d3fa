import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// What the indexer must never do on storage that misbehaves: flag the catalog missing because a mount dropped,
/// forget a folder it could not read, keep a file FAILED after its problem went away, or walk a root twice.
@Suite(.serialized) struct IndexerSafetyTests {
    static func missingFlags(_ catalog: Catalog) async throws -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: try await catalog.files().map { ($0.path, $0.missing) })
    }

    /// A root removed (an unmounted path) and a root emptied (an unmounted mount point): the indexing fails naming
    /// the root, and every file keeps its flags.
    @Test(arguments: Backend.available)
    func aRootThatIsGoneOrEmptyFailsAndChangesNothing(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        try await PipelineTests.index(catalog, root)
        let before = try await Self.missingFlags(catalog)
        #expect(!before.isEmpty && before.values.allSatisfy { !$0 })

        let away = root.deletingLastPathComponent().appendingPathComponent("away")
        try FileManager.default.moveItem(at: root, to: away)
        await #expect { try await Indexer(catalog: catalog, settings: PipelineTests.settings(root)).run() } throws: { error in
            "\(error)".contains("storage root \(root.path) cannot be listed") && "\(error)".contains("No such file")
        }
        #expect(try await Self.missingFlags(catalog) == before)

        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: false)
        await #expect { try await Indexer(catalog: catalog, settings: PipelineTests.settings(root)).run() } throws: { error in
            "\(error)".contains(root.path) && "\(error)".contains("empty") && "\(error)".contains("\(before.count) files")
        }
        #expect(try await Self.missingFlags(catalog) == before)

        // Mounted again: nothing to do, and a file really removed is then flagged.
        try FileManager.default.removeItem(at: root)
        try FileManager.default.moveItem(at: away, to: root)
        let gone = try #require(before.keys.sorted().first)
        try FileManager.default.removeItem(atPath: gone)
        let report = try await Indexer(catalog: catalog, settings: PipelineTests.settings(root)).run()
        #expect(report.missing == 1 && report.new == 0 && report.changed == 0)
        #expect(try await Self.missingFlags(catalog)[gone] == true)
        try await catalog.close()
    }

    /// Through the job, as `index` runs it: the job fails with the root's name and the command exits 1.
    @Test func indexOfAMissingRootExitsOneNamingIt() async throws {
        let folder = try TemporaryFolder().url
        let gone = folder.appendingPathComponent("eos").path
        let outcome = try await Binary.run(["index", "--database", "sqlite://\(folder.path)/catalog.sqlite", "--storage", gone])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("storage root \(gone) cannot be listed"), "\(outcome.stderr)")
    }

    /// `a:a/` is one root; a root inside another is walked once, as part of the outer one.
    @Test(arguments: Backend.available)
    func duplicateAndNestedRootsAreWalkedOnce(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        var settings = PipelineTests.settings(root)
        let inner = root.appendingPathComponent("store").path
        settings.storageRoots = [root.path, root.path + "/", inner]
        let report = try await Indexer(catalog: catalog, settings: settings).run()
        let files = try await catalog.files()
        #expect(report.scanned == files.count && report.new == files.count)
        #expect(Set(files.map(\.storageRoot)) == [root.path])
        #expect(report.notes == ["\(inner): inside storage root \(root.path), walked once as part of it"] && report.problems.isEmpty)
        try await catalog.close()
    }

    /// A file unreadable at index time is read again on the next scan although its size and time are unchanged,
    /// then less often: 5 min after its second failure (the catalog's clock moved), not before.
    @Test(arguments: Backend.available)
    func aFailedFileIsReadAgainWithBackoff(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        let path = try #require(try Self.goodFiles(under: root).first)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try Self.overwriteKeepingSizeAndTime(path, with: Data(repeating: 0x55, count: original.count))
        let settings = PipelineTests.settings(root)
        _ = try await Indexer(catalog: catalog, settings: settings).run()
        #expect(try await catalog.file(path: path)?.status == .rootfileError)
        #expect(try await catalog.file(path: path)?.dataset != nil, "a file unreadable at index time still belongs to its path's dataset")
        var failing = 0  // the malformed fixtures too
        for status in FileStatus.failures { failing += try await catalog.files(status: status).count }

        let second = try await Indexer(catalog: catalog, settings: settings).run()  // due at once after one failure
        #expect(second.reread == failing && second.failed == failing, "\(second)")
        let third = try await Indexer(catalog: catalog, settings: settings).run()   // two failures: 5 min
        #expect(third.reread == 0 && third.unchanged == second.scanned, "\(third)")

        let start = catalog.currentTime
        let later = Catalog(database: catalog.database, clock: { start + Indexer.rereadDelay(failures: 2) + 1 })
        try Self.overwriteKeepingSizeAndTime(path, with: original)
        let fourth = try await Indexer(catalog: later, settings: settings).run()
        #expect(fourth.reread == failing && fourth.failed == failing - 1, "\(fourth)")
        let record = try #require(try await catalog.file(path: path))
        #expect(record.status == .pending && !record.runs.isEmpty && record.mes > 0 && record.error == nil)
        #expect(Indexer.rereadDelay(failures: 1) == 0 && Indexer.rereadDelay(failures: 3) == 600 && Indexer.rereadDelay(failures: 99) == 86_400)
        try await catalog.close()
    }

    static func goodFiles(under root: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var paths: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasPrefix("store/") && relative.hasSuffix(".root") { paths.append(root.path + "/" + relative) }
        }
        return paths.sorted()
    }

    /// New contents with the file's size and modification time as they were (to the nanosecond, as the indexer
    /// compares them): what the indexer sees as unchanged.
    static func overwriteKeepingSizeAndTime(_ path: String, with data: Data) throws {
        var info = stat()
        #expect(stat(path, &info) == 0)
        try data.write(to: URL(fileURLWithPath: path))
        let times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, path, times, 0) == 0)
    }
}
