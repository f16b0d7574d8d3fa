import Synchronization

/// Failed authentications (a wrong bearer token, a wrong token on the sign-in form) per client address, within a
/// sliding window. Once an address has `limit.attempts` failures younger than `limit.window`, its further attempts
/// are refused until the oldest of them is `window` old, so guessing runs at `attempts` per `window`, not at the
/// ~1,400 per second the server answers. Time is passed in, so tests can step it without waiting.
final class FailedAuthentications: Sendable {
    let limit: AuthFailureLimit
    /// Addresses tracked at once; beyond it, the one whose last failure is oldest is forgotten, so a client
    /// spraying addresses cannot grow the table without end.
    let capacity: Int
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: AuthFailureLimit, capacity: Int = 10_000) {
        self.limit = limit
        self.capacity = capacity
    }

    /// How long `client` must wait before its next attempt counts, or nil when it may try now.
    func retryAfter(_ client: String, at now: ContinuousClock.Instant) -> Duration? {
        failures.withLock { table in
            let recent = Self.recent(table[client] ?? [], at: now, window: limit.window)
            guard recent.count >= limit.attempts, let oldest = recent.first else { return nil }
            return oldest.advanced(by: limit.window) - now
        }
    }

    func recordFailure(_ client: String, at now: ContinuousClock.Instant) {
        failures.withLock { table in
            if table[client] == nil, table.count >= capacity {
                table = table.filter { !Self.recent($0.value, at: now, window: limit.window).isEmpty }
                if table.count >= capacity, let stalest = table.min(by: { ($0.value.last ?? now) < ($1.value.last ?? now) })?.key {
                    table[stalest] = nil
                }
            }
            // Only the newest `attempts` matter: the window is judged by the oldest of them.
            var recent = Self.recent(table[client] ?? [], at: now, window: limit.window)
            recent.append(now)
            table[client] = Array(recent.suffix(limit.attempts))
        }
    }

    private static func recent(_ times: [ContinuousClock.Instant], at now: ContinuousClock.Instant, window: Duration) -> [ContinuousClock.Instant] {
        times.filter { now - $0 < window }
    }
}
