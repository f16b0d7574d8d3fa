import Catalog
import DQMIO
import Foundation

/// DFI: finds `.root` files under the storage roots and keeps the files table in step with them. New or changed
/// files (size or mtime) have their Indices read (cheap: no histogram), are recorded INDEXED, get an ETL job and
/// become PENDING, 200 files per transaction. Vanished files are flagged missing, their status and data kept.
/// Unreadable files are FAILED with the reader's message, and the scan goes on.
public struct Indexer: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var scanned = 0
        public var new = 0
        public var changed = 0
        public var unchanged = 0
        public var failed = 0
        public var missing = 0
        public var problems: [String] = []

        public var summary: String {
            "scanned \(scanned): \(new) new, \(changed) changed, \(unchanged) unchanged, \(failed) failed, \(missing) missing"
                + (problems.isEmpty ? "" : "; \(problems.count) unreadable folders")
        }
    }

    public let catalog: Catalog
    public let settings: PipelineSettings

    public init(catalog: Catalog, settings: PipelineSettings) {
        self.catalog = catalog
        self.settings = settings
    }

    public func run(progress: @Sendable (Int, Int) async -> Void = { _, _ in }) async throws -> Report {
        var report = Report()
        for root in settings.storageRoots {
            // Walking, files are not counted yet: (0, 0) tells the worker's watchdog (and the UI) the job is alive.
            let scan = try await StorageScanner().scan(root: root) { await progress(0, 0) }
            report.problems += scan.problems
            let known = try await catalog.fingerprints(storageRoot: scan.files.first?.root ?? root)
            var seen = Set<String>()
            var reappeared: [String] = []
            var outcomes: [IndexedOutcome] = []
            for (position, found) in scan.files.enumerated() {
                try Task.checkCancellation()  // the worker stopping, or its watchdog giving up
                report.scanned += 1
                seen.insert(found.path)
                if let previous = known[found.path], previous.size == found.size, previous.mtime == found.mtime {
                    report.unchanged += 1
                    if previous.missing { reappeared.append(found.path) }
                } else {
                    if known[found.path] == nil { report.new += 1 } else { report.changed += 1 }
                    let outcome = read(found)
                    if case .unreadable = outcome { report.failed += 1 }
                    outcomes.append(outcome)
                    if outcomes.count == Self.batchSize {
                        try await catalog.record(outcomes, etlJob: ETL.job)
                        outcomes = []
                    }
                }
                await progress(position + 1, scan.files.count)
            }
            try await catalog.record(outcomes, etlJob: ETL.job)
            try await catalog.setMissing(reappeared, missing: false)
            let vanished = known.filter { !seen.contains($0.key) && !$0.value.missing }.map(\.key)
            try await catalog.setMissing(vanished, missing: true)
            report.missing += vanished.count
        }
        return report
    }

    /// New or changed files recorded per transaction.
    static let batchSize = 200

    /// Reads one file's Indices.
    private func read(_ found: StorageScanner.Found) -> IndexedOutcome {
        let cms = CMSPath.parse(found.path)
        var file = IndexedFile(path: found.path, storageRoot: found.root, relativePath: found.relativePath, size: found.size,
                               mtime: found.mtime, ctime: found.ctime, era: cms.era, primaryDataset: cms.primaryDataset,
                               dataTier: cms.dataTier, processing: cms.processing)
        do {
            let dqmio = try DQMIOFile(path: found.path)
            file.guid = dqmio.guid
            file.runs = Set(dqmio.indices.map { Int64($0.run) }).sorted()
            file.lumisections = dqmio.lumisections.count
            file.mes = try MonitorElementReader(file: dqmio, selection: settings.selection, threads: 1).count()
            return .readable(file)
        } catch {
            return .unreadable(file, error: String(describing: error))
        }
    }

    /// Queues an indexing of `storage` (or returns the one already queued or running).
    public static func trigger(catalog: Catalog, storage: [String]) async throws -> JobRecord {
        try await catalog.enqueue(NewJob(queue: Queues.indexer, kind: Queues.indexKind, payload: storage.joined(separator: ":"),
                                         dedupeKey: Queues.indexDedupeKey, maxAttempts: 3))
    }
}
