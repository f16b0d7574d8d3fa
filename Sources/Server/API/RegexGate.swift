import Dispatch
import Foundation
import Synchronization

/// Where `me__regex` patterns are matched against the ME names: one pattern at a time, on a thread of its own, so
/// that public reads can take at most one core and never the cooperative pool the other requests run on (ten
/// runaway patterns at once had stalled the health check for 4.7 s on 2 cores). Each pattern gets `budget` of
/// matching; a request arriving while `maximumWaiting` patterns wait is turned away at once, before it reads
/// the names. Process-wide by nature: the cores it protects are the process's.
final class RegexGate: Sendable {
    static let shared = RegexGate()

    /// How long one request's pattern may take over all ME names (a few ms for a plain one on 100,000).
    static let budget = Duration.milliseconds(500)
    /// Patterns that may wait their turn; past that a request is answered 503.
    static let maximumWaiting = 8

    enum Outcome: Sendable { case matched([Int64]), overBudget, busy }

    private let queue = DispatchQueue(label: "mlplayground.me-regex", qos: .utility)
    private let waiting = Atomic(0)

    /// The ids of the names (`names()`, read once a place is held) that `expression` matches anywhere.
    func matches(_ expression: NSRegularExpression,
                 in names: () async throws -> [(id: Int64, name: String)]) async throws -> Outcome {
        guard waiting.add(1, ordering: .relaxed).newValue <= Self.maximumWaiting else {
            waiting.subtract(1, ordering: .relaxed)
            return .busy
        }
        let candidates: [(id: Int64, name: String)]
        do {
            candidates = try await names()
        } catch {
            waiting.subtract(1, ordering: .relaxed)
            throw error
        }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                waiting.subtract(1, ordering: .relaxed)
                let deadline = ContinuousClock.now + Self.budget
                var ids: [Int64] = []
                for (id, name) in candidates {
                    // Checked per name too: ICU reports progress only every few thousand steps.
                    guard ContinuousClock.now < deadline, let found = Self.matches(expression, name, before: deadline) else {
                        continuation.resume(returning: .overBudget)
                        return
                    }
                    if found { ids.append(id) }
                }
                continuation.resume(returning: .matched(ids))
            }
        }
    }

    /// Whether `expression` matches anywhere in `name`; nil when it was stopped at `deadline`. A pattern with nested
    /// repetitions can backtrack for hours on one name: ICU calls back while it does (`reportProgress`), which
    /// lets the match be stopped.
    private static func matches(_ expression: NSRegularExpression, _ name: String, before deadline: ContinuousClock.Instant) -> Bool? {
        var found = false
        var stopped = false
        expression.enumerateMatches(in: name, options: [.reportProgress], range: NSRange(name.startIndex..., in: name)) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if ContinuousClock.now >= deadline {
                stopped = true
                stop.pointee = true
            }
        }
        return stopped ? nil : found
    }
}
