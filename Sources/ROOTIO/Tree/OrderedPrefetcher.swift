import Foundation

/// Runs jobs ahead of their use — typically "read, inflate and decode basket k" — on `workers` threads of its
/// own, handing results out in schedule order. Baskets are independent records, so they may be worked on in
/// any order.
///
/// Memory stays bounded whatever the file size: at most `16 × workers` jobs are ahead of the reader, and their
/// bytes — waiting results plus twice the last result's size per running job of the same group (inflated basket
/// and decoded result coexist while it runs) — stay under `budget`. One job ahead of the reader always runs, so a
/// single result larger than the budget (ROOT grows baskets to tens of MB) still flows, one at a time.
///
/// The schedule is the order the reader will ask in. A request that is not ahead in the schedule is answered
/// with nil, and the caller does the work itself. Call `finish()` when done (also on errors): it stops the
/// threads. Own threads rather than a shared dispatch pool: a pool grows threads when jobs wait, and every new
/// thread brings its own malloc arena.
public final class OrderedPrefetcher<Key: Hashable & Sendable, Item: Sendable>: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    public typealias Job = @Sendable () throws -> Item

    public struct Entry: Sendable {
        public let key: Key
        /// Jobs of one group have results of similar size (e.g. one branch's baskets).
        public let group: Int
        public let job: Job

        public init(key: Key, group: Int, job: @escaping Job) {
            self.key = key
            self.group = group
            self.job = job
        }
    }

    private let schedule: [Entry]
    private let positions: [Key: Int]
    private let window: Int
    private let budget: Int
    private let cost: @Sendable (Item) -> Int
    private let condition = NSCondition()
    private var results: [Int: (result: Result<Item, any Error>, bytes: Int)] = [:]
    private var waitingBytes = 0
    private var runningBytes = 0
    private var lastBytes: [Int: Int] = [:]
    private var nextToStart = 0
    private var consumed = 0
    private var stopped = false

    public init(schedule: [Entry], workers: Int, budget: Int = 32 << 20, cost: @escaping @Sendable (Item) -> Int) {
        self.schedule = schedule
        var positions: [Key: Int] = [:]
        for (position, entry) in schedule.enumerated() where positions[entry.key] == nil {
            positions[entry.key] = position
        }
        self.positions = positions
        window = 16 * max(1, workers)
        self.budget = budget
        self.cost = cost
        for _ in 0..<max(1, workers) {
            let thread = Thread { [self] in work() }
            thread.name = "prefetch"
            thread.start()
        }
    }

    /// The result for `key`, once ready; nil when it is not the caller's to take from here.
    public func take(_ key: Key) throws -> Item? {
        guard let position = positions[key] else { return nil }
        condition.lock()
        defer { condition.unlock() }
        guard position >= consumed else { return nil }
        for skipped in consumed..<position {
            if let dropped = results.removeValue(forKey: skipped) { waitingBytes -= dropped.bytes }
        }
        consumed = position + 1
        condition.broadcast()
        while true {
            if let ready = results.removeValue(forKey: position) {
                waitingBytes -= ready.bytes
                condition.broadcast()
                return try ready.result.get()
            }
            condition.wait()
        }
    }

    /// Stops the worker threads; results not taken are dropped.
    public func finish() {
        condition.lock()
        stopped = true
        results.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the next job may start now. Caller holds the lock.
    private var mayStart: Bool {
        guard nextToStart < consumed + window else { return false }
        if nextToStart <= consumed { return true }  // the one the reader waits for, or will next
        let estimate = 2 * (lastBytes[schedule[nextToStart].group] ?? 0)
        return waitingBytes + runningBytes + estimate <= budget
    }

    private func work() {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && nextToStart < schedule.count {
            guard mayStart else {
                condition.wait()
                continue
            }
            let position = nextToStart
            let entry = schedule[position]
            let estimate = 2 * (lastBytes[entry.group] ?? 0)
            nextToStart += 1
            runningBytes += estimate
            condition.unlock()
            let result = Result { try entry.job() }
            let bytes = (try? result.get()).map(cost) ?? 0
            condition.lock()
            runningBytes -= estimate
            lastBytes[entry.group] = bytes
            if !stopped && position >= consumed - 1 {  // else: skipped, drop it
                results[position] = (result, bytes)
                waitingBytes += bytes
            }
            condition.broadcast()
        }
    }
}
