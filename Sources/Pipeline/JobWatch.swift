import Synchronization

/// One running job's outcome, decided once: by the job itself, or by the watchdog when the job stopped making
/// progress. A load stuck on a dead database connection (postgres-nio's COPY never returns when the server restarts
/// mid-stream) is abandoned this way instead of holding the worker — and, through its heartbeats, the job — forever.
final class JobWatch: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<String, any Error>, Never>?
        var outcome: Result<String, any Error>?
        var lastProgress = ContinuousClock.now
        var work: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Where the outcome goes. One decided already (the worker was cancelled before the job began) goes at once.
    func install(_ continuation: CheckedContinuation<Result<String, any Error>, Never>) {
        let decided = state.withLock { state -> Result<String, any Error>? in
            if state.outcome == nil { state.continuation = continuation }
            return state.outcome
        }
        if let decided { continuation.resume(returning: decided) }
    }

    /// The task running the job, cancelled when the watch is (the worker stopping).
    func attach(_ work: Task<Void, Never>) {
        let cancelled = state.withLock { state -> Bool in
            state.work = work
            return state.outcome != nil
        }
        if cancelled { work.cancel() }
    }

    /// The worker is stopping: the job is cancelled and its outcome is a cancellation.
    func cancel() {
        decide(.failure(CancellationError()))
        state.withLock { $0.work }?.cancel()
    }

    /// The job advanced (a batch stored, a file scanned).
    func touch() {
        state.withLock { $0.lastProgress = .now }
    }

    var isDecided: Bool { state.withLock { $0.outcome != nil } }

    var secondsSinceProgress: Double {
        state.withLock { $0.lastProgress }.duration(to: .now) / .seconds(1)
    }

    /// The first call decides; later ones (the abandoned job finishing after all) are ignored.
    func decide(_ outcome: Result<String, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Result<String, any Error>, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            return state.continuation.take()
        }
        continuation?.resume(returning: outcome)
    }
}

/// The watchdog's verdict on a job without progress.
struct JobStalled: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "no progress for \(Int(seconds)) s (database connection lost?); abandoned to be retried" }
}
