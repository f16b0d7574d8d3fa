import Catalog
import DQMIO
import Foundation

/// DFI: finds `.root` files under the storage roots and keeps the files table in step with them. New or changed
/// files (size or mtime) have their Indices read (cheap: no histogram), are recorded PENDING, get an ETL job and
/// become PENDING, 200 files per transaction. Vanished files are flagged missing, their status and data kept.
/// Unreadable files are FAILED with the reader's message, read again on later scans (`rereadDelay`), and the scan
/// goes on. What the walk could not see (a root that cannot be listed, a folder or entry below it) changes nothing.
public struct Indexer: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var scanned = 0
        public var new = 0
        public var changed = 0
        public var unchanged = 0
        /// Files FAILED at an earlier indexing, read again.
        public var reread = 0
        public var failed = 0
        public var missing = 0
        /// What could not be seen, by name: its files were left as they were.
        public var problems: [String] = []
        /// Roots walked as part of another.
        public var notes: [String] = []

        public var summary: String {
            var text = "scanned \(scanned): \(new) new, \(changed) changed, \(unchanged) unchanged, \(reread) failed before and read again, "
                + "\(failed) failed, \(missing) missing"
            if !problems.isEmpty {
                // Named, so that an operator sees which folders were left as they were (the first few of many).
                let shown = problems.prefix(Self.problemsShown).joined(separator: "; ")
                let more = problems.count > Self.problemsShown ? "; and \(problems.count - Self.problemsShown) more" : ""
                text += "; \(problems.count) not seen, their files left as they were: \(shown)\(more)"
            }
            if !notes.isEmpty { text += "; " + notes.joined(separator: "; ") }
            return text
        }

        static let problemsShown = 50
    }

    /// Roots that could not be listed, after the others were indexed: the job fails, naming them.
    public struct RootsUnreadable: Error, CustomStringConvertible {
        public let roots: [StorageRootUnreadable]
        public let report: Report

        public var description: String {
            roots.map(\.description).joined(separator: "; ") + " (the other roots: \(report.summary))"
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
        var unreadable: [StorageRootUnreadable] = []
        let (roots, nested) = Self.distinctRoots(settings.storageRoots)
        report.notes += nested
        for root in roots {
            do {
                try await index(root: root, into: &report, progress: progress)
            } catch let error as StorageRootUnreadable {
                unreadable.append(error)
            }
        }
        if !unreadable.isEmpty { throw RootsUnreadable(roots: unreadable, report: report) }
        return report
    }

    private func index(root: String, into report: inout Report, progress: @Sendable (Int, Int) async -> Void) async throws {
        // Walking, files are not counted yet: (0, 0) tells the worker's watchdog (and the UI) the job is alive.
        let scan = try await StorageScanner().scan(root: root) { await progress(0, 0) }
        let known = try await catalog.fingerprints(storageRoot: root)
        // An unmounted mount point is an empty folder: that is not every file of the catalog gone at once.
        let held = known.values.filter { !$0.missing }.count
        if scan.rootEntries == 0 && held > 0 && !settings.allowEmptyRoots {
            throw StorageRootUnreadable(root: root, reason: "it is empty, yet the catalog holds \(held) files under it (not mounted? "
                                        + "if its files really are gone, index once with --allow-empty-roots)")
        }
        report.problems += scan.problems
        let unseen = UnseenPaths(scan.unseen)
        let now = catalog.currentTime
        var seen = Set<String>()
        var reappeared: [String] = []
        var outcomes: [IndexedOutcome] = []
        for (position, found) in scan.files.enumerated() {
            try Task.checkCancellation()  // the worker stopping, or its watchdog giving up
            report.scanned += 1
            seen.insert(found.path)
            let previous = known[found.path]
            if let previous, previous.size == found.size, previous.mtime == found.mtime,
               !(previous.status.isFailure && previous.indexFailures > 0 && now >= previous.indexedAt + Self.rereadDelay(failures: previous.indexFailures)) {
                report.unchanged += 1
                if previous.missing { reappeared.append(found.path) }
            } else {
                if let previous {
                    if previous.size == found.size && previous.mtime == found.mtime { report.reread += 1 } else { report.changed += 1 }
                } else {
                    report.new += 1
                }
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
        let vanished = known.filter { !seen.contains($0.key) && !$0.value.missing && !unseen.contains($0.key) }.map(\.key)
        try await catalog.setMissing(vanished, missing: true)
        report.missing += vanished.count
    }

    /// How long after its last failed reading a file that failed `failures` times in a row (size and time
    /// unchanged) is read again: at the next scan after the first failure, then 5 min, 10 min, 20 min, … at most a
    /// day — a permission fixed is seen soon, a broken file costs little.
    public static func rereadDelay(failures: Int) -> Double {
        failures <= 1 ? 0 : min(86_400, 300 * pow(2, Double(min(failures, 30) - 2)))
    }

    /// The roots to walk, each once: duplicates (`a:a`, `a:a/`) dropped, and a root inside another dropped with a
    /// note (its files are walked as part of the outer one; walking both would index them under two roots).
    static func distinctRoots(_ roots: [String]) -> (roots: [String], notes: [String]) {
        var kept: [String] = []
        for root in roots.map(StorageScanner.normalized) where !kept.contains(root) { kept.append(root) }
        var notes: [String] = []
        let outer = kept.filter { root in
            guard let container = kept.first(where: { $0 != root && root.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else { return true }
            notes.append("\(root): inside storage root \(container), walked once as part of it")
            return false
        }
        return (outer, notes)
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
            return .unreadable(file, error: String(describing: error), status: .failure(error))
        }
    }

    /// Reads one catalogued file again and records it (`retry` and `ingest` of one file do this first, so a file that
    /// failed at index time is loaded with its real runs and counts): readable, it is PENDING with its ETL job
    /// queued; unreadable, in its failure status with the reader's message. Throws when the file cannot be stat'ed.
    public func reindex(_ record: FileRecord) async throws -> IndexedOutcome {
        let found = try StorageScanner.found(path: record.path, root: record.storageRoot)
        let outcome = read(found)
        try await catalog.record([outcome], etlJob: ETL.job)
        return outcome
    }

    /// Queues an indexing of `storage` (or returns the one already queued or running).
    public static func trigger(catalog: Catalog, storage: [String]) async throws -> JobRecord {
        try await catalog.enqueue(NewJob(queue: Queues.indexer, kind: Queues.indexKind, payload: storage.joined(separator: ":"),
                                         dedupeKey: Queues.indexDedupeKey, maxAttempts: 3))
    }
}

/// The paths a walk could not see: exact files, and folders (ending in `/`) whose whole subtree is unseen. Compared
/// as bytes: `String`'s equality and `hasPrefix` compare canonically equivalent spellings, and a name starting with
/// a combining mark would not have the folder's `/` as a prefix character.
struct UnseenPaths {
    private let files: Set<[UInt8]>
    private let folders: Set<[UInt8]>

    init(_ paths: [String]) {
        files = Set(paths.filter { !$0.hasSuffix("/") }.map { Array($0.utf8) })
        folders = Set(paths.filter { $0.hasSuffix("/") }.map { Array($0.utf8) })
    }

    /// Whether `path` or one of the folders above it is unseen: a look-up per ancestor.
    func contains(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        if files.contains(bytes) { return true }
        guard !folders.isEmpty else { return false }
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") {
            if folders.contains(Array(bytes[...index])) { return true }
        }
        return false
    }
}
