import Catalog
import DQMIO
import Foundation
import ROOTIO

/// Runs the jobs of one queue, like `celery worker -Q`: claims a job, renews its lease while it runs, records
/// the outcome; several workers (processes, hosts) share the database. With `drain`, it returns once the queue
/// has nothing queued or running — waiting out the lease of a job whose worker died.
public struct Worker: Sendable {
    public let catalog: Catalog
    public let settings: PipelineSettings
    public let queue: String
    public let concurrency: Int
    public let name: String

    public init(catalog: Catalog, settings: PipelineSettings, queue: String, concurrency: Int = 1, name: String? = nil) {
        self.catalog = catalog
        self.settings = settings
        self.queue = queue
        self.concurrency = concurrency
        self.name = name ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    /// Runs jobs until cancelled, or — with `drain` — until the queue is empty; with `only`, that one job until it
    /// has ended (retries included; a run elsewhere is waited for), leaving the queue's other jobs to other workers.
    /// Returns the jobs it ran. `onProgress` hears (job, done, total) as a job advances: files scanned, MEs loaded.
    @discardableResult
    public func run(drain: Bool, only: Int64? = nil, onJob: @escaping @Sendable (JobRecord, String) async -> Void = { _, _ in },
                    onProblem: @escaping @Sendable (String) async -> Void = { _ in },
                    onProgress: @escaping @Sendable (JobRecord, Int, Int) async -> Void = { _, _, _ in }) async throws -> Int {
        var ran = 0
        var outage = 0.0  // seconds since the database last answered, while it does not
        let wake = WakeSignal()
        let listener = listenForWork(wake)
        defer { listener.cancel() }
        while !Task.isCancelled {
            do {
                if let job = try await catalog.claim(queue: queue, worker: name, lease: settings.lease, concurrency: concurrency, jobID: only) {
                    outage = 0
                    let outcome = await execute(job, onProgress: onProgress)
                    ran += 1
                    await onJob(job, outcome)
                    continue
                }
                outage = 0
                var wait = settings.pollInterval
                if drain || only != nil {
                    guard let next = try await catalog.nextWork(queue: queue, jobID: only) else { return ran }
                    // One job that is due but was not claimed waits for the queue's slot (running elsewhere): a poll,
                    // or the NOTIFY of a job's end, not a spin.
                    let due = next - Date().timeIntervalSince1970
                    wait = only != nil && due <= 0 ? settings.pollInterval : min(max(0.05, due), settings.pollInterval)
                }
                await wake.wait(upTo: wait)
                try Task.checkCancellation()
            } catch is CancellationError {
                break
            } catch {
                // The database restarting or unreachable: keep trying, a little less often each time (at most 5 s).
                outage = min(5, max(settings.pollInterval, outage * 2))
                await onProblem("database unavailable, retrying in \(outage) s: \(error)")
                try await Task.sleep(for: .seconds(outage))
            }
        }
        return ran
    }

    /// On PostgreSQL, a LISTEN on the jobs channel that wakes this worker as soon as its queue may have work
    /// (polling every `pollInterval` stays as the fallback, and is all there is on SQLite).
    private func listenForWork(_ wake: WakeSignal) -> Task<Void, Never> {
        let queue = queue
        let database = catalog.database
        return Task {
            while !Task.isCancelled {
                do {
                    let listening = try await database.listen(channel: Catalog.jobsChannel) { payload in
                        if payload == queue { wake.signal() }
                    }
                    if !listening { return }
                } catch {
                    try? await Task.sleep(for: .seconds(1))  // connection lost (e.g. a restart): listen again
                }
            }
        }
    }

    /// Runs one claimed job with heartbeats and a watchdog; records success or failure. Returns a one-line outcome.
    private func execute(_ job: JobRecord, onProgress: @escaping @Sendable (JobRecord, Int, Int) async -> Void) async -> String {
        let watch = JobWatch()
        let outcome = await withTaskCancellationHandler {
            await supervise(job, watch: watch, onProgress: onProgress)
        } onCancel: {
            watch.cancel()
        }
        do {
            let result = try outcome.get()
            try await catalog.complete(jobID: job.id, worker: name, result: result)
            return result
        } catch {
            let message = String(describing: error)
            // A file the reader refuses will not read better next time; database trouble may pass. A root that
            // cannot be listed is left to the next scheduled scan: retrying at once would walk the others again.
            let retry = !(error is ROOTError || error is DQMIOError || error is Indexer.RootsUnreadable)
            try? await catalog.fail(jobID: job.id, worker: name, error: message, retry: retry)
            return "failed: \(message)"
        }
    }

    /// The job in a task of its own, and beside it the heartbeats and the watchdog; whichever decides first wins.
    private func supervise(_ job: JobRecord, watch: JobWatch,
                           onProgress: @escaping @Sendable (JobRecord, Int, Int) async -> Void) async -> Result<String, any Error> {
        let settings = settings
        return await withCheckedContinuation { continuation in
            watch.install(continuation)
            // Unstructured, so that a job stuck on a dead connection can be left behind.
            let work = Task {
                do {
                    let result = try await perform(job) { job, done, total in
                        watch.touch()
                        await onProgress(job, done, total)
                    }
                    watch.decide(.success(result))
                } catch {
                    watch.decide(.failure(error))
                }
            }
            watch.attach(work)
            Task {
                var holdsLease = true
                while !watch.isDecided {
                    try? await Task.sleep(for: .seconds(settings.lease / 3))
                    if watch.isDecided { break }
                    if watch.secondsSinceProgress > settings.stallTimeout {
                        watch.decide(.failure(JobStalled(seconds: watch.secondsSinceProgress)))
                        work.cancel()
                        break
                    }
                    // A failed heartbeat (database down) is tried again; a lost lease means another worker took over.
                    if holdsLease, let held = try? await catalog.heartbeat(jobID: job.id, worker: name, lease: settings.lease) {
                        holdsLease = held
                    }
                }
            }
        }
    }

    private func perform(_ job: JobRecord, onProgress: @escaping @Sendable (JobRecord, Int, Int) async -> Void) async throws -> String {
        switch job.kind {
        case Queues.indexKind:
            var settings = settings
            if !job.payload.isEmpty { settings.storageRoots = job.payload.split(separator: ":").map(String.init) }
            let reporter = ProgressReporter(catalog: catalog, jobID: job.id)
            let report = try await Indexer(catalog: catalog, settings: settings).run { done, total in
                await onProgress(job, done, total)
                await reporter.report(done: done, total: total)
            }
            return report.summary
        case Queues.ingestKind:
            guard let fileID = Int64(job.payload) else { throw CatalogError("ingest job \(job.id) names no file id") }
            // SQLite has one writer: the ETL's transaction holds it, so live progress is PostgreSQL's alone.
            let live = catalog.database.dialect == .postgres
            let reporter = ProgressReporter(catalog: catalog, jobID: job.id)
            let count = try await ETL(catalog: catalog, settings: settings).ingest(fileID: fileID) { done, total in
                await onProgress(job, done, total)
                if live { await reporter.report(done: done, total: total) }
            }
            try await catalog.reportProgress(jobID: job.id, done: Int64(count), total: Int64(count))
            return "loaded \(count) MEs"
        default:
            throw CatalogError("unknown job kind \(job.kind)")
        }
    }
}
