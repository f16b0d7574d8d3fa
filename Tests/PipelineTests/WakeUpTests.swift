import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// LISTEN/NOTIFY: an idle worker on PostgreSQL starts a queued job at once, long before its next poll.
@Suite(.serialized) struct WakeUpTests {
    @Test(arguments: Backend.available.filter { $0 == .postgres })
    func aQueuedJobWakesAnIdleWorker(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        // A poll every 60 s: only a notification can explain a start within seconds.
        let settings = PipelineSettings(storageRoots: [root.path], readerThreads: 2, lease: 5, pollInterval: 60)
        let worker = Task { try await Worker(catalog: catalog, settings: settings, queue: Queues.indexer).run(drain: false) }
        defer { worker.cancel() }
        for round in 1...3 {
            // Let the worker finish its claim and go idle, listening.
            try await Task.sleep(for: .milliseconds(500))
            let queued = Date()
            let job = try await Indexer.trigger(catalog: catalog, storage: [root.path])
            var started: Date?
            while Date().timeIntervalSince(queued) < 10 {
                if let state = try await catalog.job(id: job.id)?.state, state != .queued {
                    started = Date()
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let delay = try #require(started).timeIntervalSince(queued)
            #expect(delay < 3, "round \(round): the job started after \(delay) s")
            while try await catalog.job(id: job.id)?.state == .running { try await Task.sleep(for: .milliseconds(20)) }
        }
    }
}
