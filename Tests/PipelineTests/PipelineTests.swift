import Catalog
import DQMIO
import Foundation
import Pipeline
import Testing
import TestSupport

/// DFI + DETL on the shared fixture tree, the same suite on SQLite and on a real PostgreSQL.
@Suite(.serialized) struct PipelineTests {
    /// A private copy of the fixture tree (good files and bad ones) to index, change and delete.
    static func storage() throws -> URL {
        let folder = try TemporaryFolder().url.appendingPathComponent("eos")
        try FileManager.default.copyItem(at: Fixtures.root, to: folder)
        return folder
    }

    static func settings(_ root: URL) -> PipelineSettings {
        PipelineSettings(storageRoots: [root.path], readerThreads: 2, lease: 5, pollInterval: 0.05)
    }

    /// Indexes `root`, as `index` does (with `settings(root)` unless given); the files' loads stay queued.
    static func index(_ catalog: Catalog, _ root: URL, settings given: PipelineSettings? = nil) async throws {
        _ = try await Indexer.trigger(catalog: catalog, storage: [root.path])
        try await Worker(catalog: catalog, settings: given ?? settings(root), queue: Queues.indexer).run(drain: true)
    }

    /// Indexes `root` and loads every file, as `index` then `ingest --pending` do (with `settings(root)` unless given).
    static func indexAndIngest(_ catalog: Catalog, _ root: URL, settings given: PipelineSettings? = nil) async throws {
        let settings = given ?? settings(root)
        try await index(catalog, root, settings: settings)
        try await Worker(catalog: catalog, settings: settings, queue: Queues.etl).run(drain: true)
    }

    static func check(_ axis: Binning?, against truth: TruthRecord.Axis?, _ key: String) {
        guard let truth else {
            #expect(axis == nil, "\(key): axis where the truth has none")
            return
        }
        guard let axis else { Issue.record("\(key): missing axis"); return }
        #expect(truth.matches(bins: axis.bins, min: axis.minimum, max: axis.maximum, edges: axis.edges, labels: axis.labels), "\(key) axis")
    }

    @Test(arguments: Backend.available)
    func databaseHoldsExactlyWhatROOTReads(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        try await Self.indexAndIngest(catalog, root)
        try await Self.expectTruth(in: catalog)
        // Those comparisons went through every codec: packed whole numbers, LZ4 for small contents, zstd for large.
        let codecs = try await catalog.database.query("SELECT DISTINCT storage FROM th1 UNION SELECT DISTINCT storage FROM th2", [])
        let used = Set(codecs.compactMap { $0.first?.int.map { $0 >> 4 } })
        #expect(used.isSuperset(of: [1, 2, 3]), "codecs used: \(used)")
        try await catalog.close()
    }

    /// Batches of 7 MEs: every fixture file takes several, so the batches the reader fills again after the loader
    /// stored them (names, rows, counts emptied, buffers kept) must give exactly the same rows and counters.
    @Test(arguments: Backend.available)
    func smallBatchesLoadExactlyTheSameRows(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        var settings = Self.settings(root)
        settings.batchSize = 7
        try await Self.indexAndIngest(catalog, root, settings: settings)
        try await Self.expectTruth(in: catalog)
        try await Self.expectCountersMatchRows(in: catalog)
        try await catalog.close()
    }

    /// Every good fixture FINISHED with exactly ROOT's histograms (bins, entries, binning); every malformed one
    /// FAILED with a message naming it and nothing loaded.
    static func expectTruth(in catalog: Catalog) async throws {
        let files = try await catalog.files()
        #expect(files.count == Fixtures.good.count + Fixtures.badNames.count)
        for file in files where file.path.contains("/store/") {
            #expect(file.status == .finished, "\(file.path): \(file.error ?? "")")
            #expect(file.mesIngested == file.mes && file.mes > 0)
            #expect(file.guid.map { file.path.hasSuffix("\($0).root") } == true)
            #expect(file.dataset?.hasSuffix("/DQMIO") == true)
            let truth = Dictionary(try TruthRecord.all(besides: file.path).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let stored = try await catalog.histograms(fileID: file.id)
            #expect(stored.count == truth.count, "\(file.path)")
            for histogram in stored {
                let key = "\(histogram.run)/\(histogram.lumi)/\(histogram.kind)/\(histogram.name)"
                guard let expected = truth[key] else { Issue.record("\(key) is not in the truth"); continue }
                #expect(histogram.entries == expected.entries, "\(key) entries")
                #expect(histogram.values == expected.data, "\(key) data")
                Self.check(histogram.x, against: expected.x, key)
                Self.check(histogram.y, against: expected.y, key)
            }
        }
        for name in Fixtures.badNames {
            let file = try #require(files.first { $0.path.hasSuffix("/bad/\(name)") })
            // Each malformed fixture is a ROOT file we cannot read: DIALS's ROOTFILE_ERROR.
            #expect(file.status == .rootfileError, "\(name): \(file.status)")
            #expect(file.error?.contains(name) == true, "\(name): \(file.error ?? "no message")")
            #expect(file.mesIngested == 0)
        }
    }

    /// The counters a load keeps, per ME and per lumisection.
    static let meCounts = "SELECT name, count FROM monitoring_elements ORDER BY name"
    static let lumisectionCounts = "SELECT run_number, ls_number, th1_count, th2_count FROM lumisections ORDER BY 1, 2"

    /// The counters the loads kept (per ME, per lumisection) equal the stored rows counted afresh.
    static func expectCountersMatchRows(in catalog: Catalog) async throws {
        #expect(try await catalog.database.query("""
            SELECT m.name, CAST(count(h.me_id) AS BIGINT) FROM monitoring_elements m
            LEFT JOIN (SELECT me_id FROM th1 UNION ALL SELECT me_id FROM th2) h ON h.me_id = m.id GROUP BY m.name ORDER BY m.name
            """, []) == catalog.database.query(Self.meCounts, []))
        #expect(try await catalog.database.query("""
            SELECT l.run_number, l.ls_number,
                   (SELECT CAST(count(*) AS BIGINT) FROM th1 h WHERE h.run_number = l.run_number AND h.ls_number = l.ls_number),
                   (SELECT CAST(count(*) AS BIGINT) FROM th2 h WHERE h.run_number = l.run_number AND h.ls_number = l.ls_number)
            FROM lumisections l ORDER BY 1, 2
            """, []) == catalog.database.query(Self.lumisectionCounts, []))
    }

    /// Asking for a load of a file whose load is running returns that job, and the file stays STARTED.
    @Test(arguments: Backend.available)
    func askingToLoadAFileBeingLoadedReturnsThatLoad(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        try await Self.indexAndIngest(catalog, root)
        let file = try #require(try await catalog.files(status: .finished).first)
        let queued = try await ETL.enqueue(fileID: file.id, catalog: catalog)
        #expect(queued.state == .queued)
        #expect(try await catalog.file(id: file.id)?.status == .pending)
        // A worker claims it and starts the load.
        let claimed = try #require(try await catalog.claim(queue: Queues.etl, worker: "test", lease: 60))
        #expect(claimed.id == queued.id)
        try await catalog.setStatus(fileID: file.id, .started)
        let again = try await ETL.enqueue(fileID: file.id, catalog: catalog)
        #expect(again.id == queued.id && again.state == .running)
        #expect(try await catalog.file(id: file.id)?.status == .started)
        try await catalog.close()
    }

    @Test(arguments: Backend.available)
    func reingestingGivesIdenticalRows(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        try await Self.indexAndIngest(catalog, root)
        let before = try await catalog.counts()
        let meCounts = try await catalog.database.query(Self.meCounts, [])
        let lumiCounts = try await catalog.database.query(Self.lumisectionCounts, [])
        try await Self.expectCountersMatchRows(in: catalog)
        for file in try await catalog.files(status: .finished) { try await ETL.enqueue(fileID: file.id, catalog: catalog) }
        try await Worker(catalog: catalog, settings: Self.settings(root), queue: Queues.etl).run(drain: true)
        let after = try await catalog.counts()
        #expect(after == before)
        #expect(try await catalog.database.query(Self.meCounts, []) == meCounts)
        #expect(try await catalog.database.query(Self.lumisectionCounts, []) == lumiCounts)
        #expect(before.th1 + before.th2 == Fixtures.good.values.reduce(0) { total, path in total + ((try? TruthRecord.all(besides: path).count) ?? 0) })
        try await catalog.close()
    }

    @Test(arguments: Backend.available)
    func rescansFollowChangedDeletedAndReturningFiles(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        try await Self.indexAndIngest(catalog, root)
        let files = try await catalog.files()
        let changed = try #require(files.first { $0.path.contains("/381/207/") })
        let deleted = try #require(files.first { $0.path.contains("/381/200/") })
        // Replace one file's bytes with another's (size and mtime change) and delete another.
        let replacement = try #require(files.first { $0.path.contains("/380/001/") })
        try FileManager.default.removeItem(atPath: changed.path)
        try FileManager.default.copyItem(atPath: replacement.path, toPath: changed.path)
        let saved = try Data(contentsOf: URL(fileURLWithPath: deleted.path))
        try FileManager.default.removeItem(atPath: deleted.path)

        let job = try await Indexer.trigger(catalog: catalog, storage: [root.path])
        try await Worker(catalog: catalog, settings: Self.settings(root), queue: Queues.indexer).run(drain: true)
        let result = try await catalog.job(id: job.id)?.result ?? ""
        #expect(result.contains("1 changed") && result.contains("1 missing"), "\(result)")
        let gone = try #require(try await catalog.file(path: deleted.path))
        #expect(gone.missing && gone.status == .finished && gone.mesIngested == deleted.mes)
        #expect(try await catalog.file(path: changed.path)?.status == .pending)
        try await Worker(catalog: catalog, settings: Self.settings(root), queue: Queues.etl).run(drain: true)
        let reloaded = try #require(try await catalog.file(path: changed.path))
        #expect(reloaded.status == .finished && reloaded.runs == [380001] && reloaded.mesIngested == replacement.mes)

        try saved.write(to: URL(fileURLWithPath: deleted.path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: gone.mtime)], ofItemAtPath: deleted.path)
        try await Self.index(catalog, root)
        #expect(try await catalog.file(path: deleted.path)?.missing == false)
        try await catalog.close()
    }

    @Test(arguments: Backend.available)
    func concurrentTriggersMakeOneIndexingAtATime(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<200 {
                group.addTask { try await Indexer.trigger(catalog: catalog, storage: [root.path]).id }
            }
            return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        // Triggers while workers run: never two indexing jobs running at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask { try await Worker(catalog: catalog, settings: Self.settings(root), queue: Queues.indexer).run(drain: true) }
            }
            for _ in 0..<20 {
                group.addTask { _ = try await Indexer.trigger(catalog: catalog, storage: [root.path]) }
            }
            try await group.waitForAll()
        }
        let jobs = try await catalog.jobs(queue: Queues.indexer).sorted { ($0.startedAt ?? 0) < ($1.startedAt ?? 0) }
        #expect(jobs.allSatisfy { $0.state == .succeeded })
        for (earlier, later) in zip(jobs, jobs.dropFirst()) {
            #expect((earlier.finishedAt ?? .infinity) <= (later.startedAt ?? 0), "jobs \(earlier.id) and \(later.id) overlapped")
        }
        try await catalog.close()
    }

    @Test(arguments: Backend.available)
    func aJobWhoseWorkerDiedRunsAgainAfterItsLease(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try Self.storage()
        _ = try await Indexer.trigger(catalog: catalog, storage: [root.path])
        // A worker claims the indexing and dies: no heartbeat, no result.
        let claimed = try #require(try await catalog.claim(queue: Queues.indexer, worker: "dead-worker", lease: 0.3))
        #expect(try await catalog.claim(queue: Queues.indexer, worker: "other", lease: 5) == nil)
        let started = Date()
        try await Worker(catalog: catalog, settings: Self.settings(root), queue: Queues.indexer).run(drain: true)
        #expect(Date().timeIntervalSince(started) >= 0.2)
        let job = try #require(try await catalog.job(id: claimed.id))
        #expect(job.state == .succeeded && job.attempts == 2)
        try await catalog.close()
    }

    @Test(arguments: Backend.available)
    func failuresRetryWithBackoffThenFail(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let job = try await catalog.enqueue(NewJob(queue: "test", kind: "x", maxAttempts: 2))
        let first = try #require(try await catalog.claim(queue: "test", worker: "w", lease: 5))
        try await catalog.fail(jobID: first.id, worker: "w", error: "boom", retry: true)
        let queued = try #require(try await catalog.job(id: job.id))
        #expect(queued.state == .queued && queued.error == "boom")
        #expect(try await catalog.claim(queue: "test", worker: "w", lease: 5) == nil, "backoff holds it")
        #expect(try await catalog.nextWork(queue: "test") ?? 0 > Date().timeIntervalSince1970)
        try await catalog.database.execute("UPDATE jobs SET run_after = 0 WHERE id = ?", [.int(job.id)])
        let second = try #require(try await catalog.claim(queue: "test", worker: "w", lease: 5))
        try await catalog.fail(jobID: second.id, worker: "w", error: "boom again", retry: true)
        let failed = try #require(try await catalog.job(id: job.id))
        #expect(failed.state == .failed && failed.attempts == 2 && failed.error == "boom again")
        try await catalog.close()
    }
}
