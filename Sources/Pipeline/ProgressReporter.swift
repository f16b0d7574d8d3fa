import Catalog

/// Writes a job's progress to the catalog at most four times a second (and always the last count): a rescan of
/// 100,000 unchanged files reports 100,000 times, and one UPDATE each took most of its time.
final class ProgressReporter: Sendable {
    private let catalog: Catalog
    private let jobID: Int64
    private let throttle = Throttle(interval: .milliseconds(250))

    init(catalog: Catalog, jobID: Int64) {
        self.catalog = catalog
        self.jobID = jobID
    }

    func report(done: Int, total: Int) async {
        guard throttle.allows(final: done >= total) else { return }
        try? await catalog.reportProgress(jobID: jobID, done: Int64(done), total: Int64(total))
    }
}
