import Synchronization

/// Lets an action through at most once per `interval`, and always for the final step: progress is reported per
/// file or batch, far more often than a database row or a terminal line needs to change.
public final class Throttle: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    public init(interval: Duration) {
        self.interval = interval
    }

    /// True when the action should run now (and counts it as run).
    public func allows(final: Bool) -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            guard final || last.map({ $0.duration(to: now) >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
