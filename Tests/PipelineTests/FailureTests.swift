import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// Workers and databases failing in the middle of an ETL: nothing half-loaded stays, the job runs again, the
/// files end PROCESSED with exact counts.
@Suite(.serialized) struct FailureTests {
    static let expectedRows = Fixtures.good.values.reduce(0) { $0 + ((try? TruthRecord.all(besides: $1).count) ?? 0) }

    /// Waits until a job of `queue` is running (or `seconds` pass).
    static func waitForRunningJob(_ catalog: Catalog, queue: String, seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await !catalog.jobs(queue: queue, state: .running).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func expectAllLoaded(_ catalog: Catalog) async throws {
        for file in try await catalog.files() where file.path.contains("/store/") {
            #expect(file.status == .processed && file.mesIngested == file.mes, "\(file.path): \(file.status) \(file.error ?? "")")
        }
        let counts = try await catalog.counts()
        #expect(counts.th1 + counts.th2 == expectedRows)
        let meTotal = try await catalog.database.query("SELECT CAST(sum(count) AS BIGINT) FROM monitoring_elements", []).first?.first?.int
        #expect(meTotal == Int64(expectedRows))
        let lumiTotal = try await catalog.database.query("SELECT CAST(sum(th1_count + th2_count) AS BIGINT) FROM lumisections", []).first?.first?.int
        #expect(lumiTotal == Int64(expectedRows))
    }

    @Test(arguments: Backend.available)
    func aWorkerKilledInTheMiddleOfAnETLIsReplaced(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let root = try PipelineTests.storage()
        _ = try await Indexer.trigger(catalog: catalog, storage: [root.path])
        try await Worker(catalog: catalog, settings: PipelineTests.settings(root), queue: Queues.indexer).run(drain: true)

        let worker = try Binary.start(["worker", "--queue", Queues.etl, "--database", url, "--lease", "2", "--threads", "1"],
                                      environment: ["MLP_TEST_ETL_PAUSE_MS": "40"])
        #expect(try await Self.waitForRunningJob(catalog, queue: Queues.etl, seconds: 20))
        try await Task.sleep(for: .milliseconds(600))
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .uncaughtSignal)
        let abandoned = try await catalog.jobs(queue: Queues.etl, state: .running)
        #expect(abandoned.count == 1, "the killed worker's job is still claimed")

        let settings = PipelineSettings(storageRoots: [root.path], readerThreads: 2, lease: 2, pollInterval: 0.1)
        try await Worker(catalog: catalog, settings: settings, queue: Queues.etl).run(drain: true)
        try await Self.expectAllLoaded(catalog)
        let abandonedJob = try #require(abandoned.first)
        let retried = try #require(try await catalog.job(id: abandonedJob.id))
        #expect(retried.state == .succeeded && retried.attempts == 2)
        try await catalog.close()
    }
}
