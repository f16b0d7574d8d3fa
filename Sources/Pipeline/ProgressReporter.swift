import Catalog
import Synchronization

/// Writes a job's progress to the catalog at most a few times a second (and always the last count): a rescan of
/// 100,000 unchanged files reports 100,000 times, and one UPDATE each took most of its time.
final class ProgressReporter: Sendable {
    private let catalog: Catalog
    private let jobID: Int64
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(catalog: Catalog, jobID: Int64, interval: Duration = .milliseconds(250)) {
        self.catalog = catalog
        self.jobID = jobID
        self.interval = interval
    }

    func report(done: Int, total: Int) async {
        let now = ContinuousClock.now
        let due = last.withLock { last in
            guard done >= total || last.map({ $0.duration(to: now) >= interval }) ?? true else { return false }
            last = now
            return true
        }
        if due { try? await catalog.reportProgress(jobID: jobID, done: Int64(done), total: Int64(total)) }
    }
}
