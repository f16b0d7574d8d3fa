import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// Folders and files the indexer may not read, through the CLI as an unprivileged user (when the tests run as root,
/// as CI does, under `setpriv`: permission bits mean nothing to root), and the one-file commands `retry` and
/// `ingest`, on SQLite and PostgreSQL.
@Suite(.serialized) struct UnreadableStorageTests {
    /// A catalog, a private fixture tree indexed into it (every load queued), and a copy of the binary that an
    /// unprivileged user may run, all in one folder others may enter.
    struct Setup {
        let catalog: Catalog
        let url: String
        let root: URL
        let folder: URL
        let binary: URL

        init(_ backend: Backend) async throws {
            (catalog, url) = try await backend.makeDatabase()
            root = try PipelineTests.storage()
            folder = root.deletingLastPathComponent()
            binary = folder.appendingPathComponent("mlplayground")
            try FileManager.default.copyItem(at: Binary.url, to: binary)
            try await PipelineTests.index(catalog, root)
        }

        /// `mlplayground ARGUMENTS --database URL`, as user nobody when we are root.
        func runUnprivileged(_ arguments: [String]) async throws -> Binary.Outcome {
            if url.hasPrefix("sqlite://") {
                // SQLite writes its journal beside the file: the folder and every file in it writable by nobody.
                let database = URL(fileURLWithPath: String(url.dropFirst("sqlite://".count)))
                let files = try FileManager.default.contentsOfDirectory(atPath: database.deletingLastPathComponent().path)
                #expect(chmod(database.deletingLastPathComponent().path, 0o777) == 0)
                for name in files { #expect(chmod(database.deletingLastPathComponent().appendingPathComponent(name).path, 0o666) == 0) }
            }
            let process = Process()
            let command = [binary.path] + arguments + ["--database", url]
            if geteuid() == 0 {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + command
            } else {
                process.executableURL = binary
                process.arguments = Array(command.dropFirst())
            }
            return try await Binary.capture(process)
        }

        func run(_ arguments: [String]) async throws -> Binary.Outcome {
            try await Binary.run(arguments + ["--database", url])
        }
    }

    /// An unreadable folder is named in the job's result and its files keep their flags; an unreadable file is
    /// FILE_NOT_AVAILABLE, and read again (PENDING, its load queued) on the next scan once its permission is fixed.
    @Test(arguments: Backend.available)
    func unreadableFoldersAndFilesAreNamedAndLeftAsTheyWere(_ backend: Backend) async throws {
        let setup = try await Setup(backend)
        let before = try await IndexerSafetyTests.missingFlags(setup.catalog)
        let locked = setup.root.appendingPathComponent("store/data/Run2024D")
        let hidden = before.keys.filter { $0.hasPrefix(locked.path + "/") }
        #expect(!hidden.isEmpty)
        let late = setup.root.appendingPathComponent("store/late.root").path
        try FileManager.default.copyItem(atPath: try #require(IndexerSafetyTests.goodFiles(under: setup.root).first), toPath: late)
        #expect(chmod(locked.path, 0) == 0 && chmod(late, 0) == 0)

        let scan = try await setup.runUnprivileged(["index", "--storage", setup.root.path])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("\(locked.path): Permission denied") && scan.stdout.contains("left as they were"), "\(scan.stdout)")
        for path in hidden { #expect(try await setup.catalog.file(path: path)?.missing == false, "\(path)") }
        let failed = try #require(try await setup.catalog.file(path: late))
        #expect(failed.status == .fileNotAvailable && failed.error?.contains("Permission denied") == true, "\(failed.status) \(failed.error ?? "")")

        #expect(chmod(locked.path, 0o755) == 0 && chmod(late, 0o644) == 0)
        let again = try await setup.runUnprivileged(["index", "--storage", setup.root.path])
        #expect(again.status == 0 && again.stdout.contains(" 1 failed before and read again"), "\(again.stdout) \(again.stderr)")
        let recovered = try #require(try await setup.catalog.file(path: late))
        #expect(recovered.status == .pending && recovered.mes > 0 && !recovered.runs.isEmpty && recovered.error == nil)
        #expect(try await IndexerSafetyTests.missingFlags(setup.catalog).filter { $0.value }.isEmpty)
        try await setup.catalog.close()
    }

    /// `retry` of a file FILE_NOT_AVAILABLE at index time reads it again first: FINISHED with its real counts
    /// (`mes_ingested == mes`), not with `runs=[]` and `mes=0`.
    @Test(arguments: Backend.available)
    func retryOfAFileThatFailedAtIndexTimeIndexesItFirst(_ backend: Backend) async throws {
        let setup = try await Setup(backend)
        let late = setup.root.appendingPathComponent("store/late.root").path
        try FileManager.default.copyItem(atPath: try #require(IndexerSafetyTests.goodFiles(under: setup.root).first), toPath: late)
        #expect(chmod(late, 0) == 0)
        _ = try await setup.runUnprivileged(["index", "--storage", setup.root.path])
        #expect(try await setup.catalog.file(path: late)?.status == .fileNotAvailable)

        #expect(chmod(late, 0o644) == 0)
        let retry = try await setup.run(["retry", late])
        #expect(retry.status == 0, "\(retry.stdout) \(retry.stderr)")
        let record = try #require(try await setup.catalog.file(path: late))
        #expect(record.status == .finished && record.mes > 0 && record.mesIngested == record.mes && !record.runs.isEmpty)
        try await setup.catalog.close()
    }

    /// `ingest FILE` and `retry FILE` run that file's job only: the other queued loads stay queued.
    @Test(arguments: Backend.available)
    func ingestOfOneFileRunsThatFilesJobOnly(_ backend: Backend) async throws {
        let setup = try await Setup(backend)
        let paths = try IndexerSafetyTests.goodFiles(under: setup.root)
        let chosen = try #require(paths.first)
        let pendingBefore = try await setup.catalog.files(status: .pending).count
        #expect(pendingBefore >= paths.count)
        for command in ["ingest", "retry"] {
            let outcome = try await setup.run([command, chosen])
            #expect(outcome.status == 0, "\(command): \(outcome.stdout) \(outcome.stderr)")
            #expect(try await setup.catalog.file(path: chosen)?.status == .finished)
            for other in paths.dropFirst() {
                #expect(try await setup.catalog.file(path: other)?.status == .pending, "\(command) loaded \(other) too")
            }
            #expect(try await setup.catalog.files(status: .pending).count == pendingBefore - 1)
            #expect(try await setup.catalog.jobs(queue: Queues.etl, state: .queued).count == pendingBefore - 1)
        }
        try await setup.catalog.close()
    }

    /// File names and errors from the storage reach the terminal escaped: a name with ESC [ 2 J cannot clear it.
    @Test func filesAndJobsEscapeControlCharacters() async throws {
        let setup = try await Setup(.sqlite)
        let evil = setup.root.appendingPathComponent("store/evil\u{1B}[2J\u{7}.root").path
        #expect(FileManager.default.createFile(atPath: evil, contents: Data("not ROOT".utf8)))
        #expect(try await setup.run(["index", "--storage", setup.root.path]).status == 0)
        for command in [["files"], ["jobs"], ["files", "--status", "failed"]] {
            let outcome = try await setup.run(command)
            #expect(outcome.status == 0)
            #expect(!outcome.stdout.utf8.contains(0x1B) && !outcome.stdout.utf8.contains(0x07), "\(command)")
        }
        #expect(try await setup.run(["files"]).stdout.contains("evil\\u{1b}[2J\\u{07}.root"))
        try await setup.catalog.close()
    }
}
