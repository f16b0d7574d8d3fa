import Dispatch
import Foundation

/// Reads and inflates baskets ahead of their use, on up to `workers` threads at once, keeping at most
/// `2 × workers` baskets in flight or waiting — so memory stays a few baskets whatever the file size.
/// Baskets are independent records, so any order of inflation is safe; they are handed out in schedule order.
///
/// The schedule is the order the reader will ask in. A request that is not next in the schedule (a reader
/// that skipped ahead, or a basket not scheduled) is answered with nil, and the caller reads it itself.
public final class BasketPrefetcher: @unchecked Sendable {  // all mutable state is guarded by `condition`
    public struct Request: Hashable, Sendable {
        public let branch: Int
        public let basket: Int
        public init(branch: Int, basket: Int) {
            self.branch = branch
            self.basket = basket
        }
    }

    private let jobs: [(request: Request, basket: BasketRef)]
    private let positions: [Request: Int]
    private let source: any ByteSource
    private let window: Int
    private let slots: DispatchSemaphore
    private let condition = NSCondition()
    private var results: [Int: Result<Basket, any Error>] = [:]
    private var nextToStart = 0
    private var consumed = 0

    public init(schedule: [(request: Request, basket: BasketRef)], source: any ByteSource, workers: Int) {
        jobs = schedule
        var positions: [Request: Int] = [:]
        for (position, job) in schedule.enumerated() where positions[job.request] == nil {
            positions[job.request] = position
        }
        self.positions = positions
        self.source = source
        window = 2 * max(1, workers)
        slots = DispatchSemaphore(value: max(1, workers))
        condition.lock()
        startMore()
        condition.unlock()
    }

    /// The basket for `request`, once inflated; nil when it is not the caller's to take from here.
    public func take(_ request: Request) throws -> Basket? {
        guard let position = positions[request] else { return nil }
        condition.lock()
        defer { condition.unlock() }
        guard position >= consumed else { return nil }
        for skipped in consumed..<position { results[skipped] = nil }
        consumed = position + 1
        startMore()
        while true {
            if let result = results.removeValue(forKey: position) { return try result.get() }
            condition.wait()
        }
    }

    /// Starts jobs up to the window past the last consumed one. Caller holds the lock.
    private func startMore() {
        while nextToStart < jobs.count && nextToStart < consumed + window {
            let position = nextToStart
            nextToStart += 1
            let job = jobs[position].basket
            DispatchQueue.global().async { [self] in
                slots.wait()
                let result = Result { try job.load(from: source) }
                slots.signal()
                condition.lock()
                if position >= consumed - 1 { results[position] = result }  // else: skipped, drop it
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
