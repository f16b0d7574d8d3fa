import Foundation
@testable import Pipeline
import Synchronization
import Testing

/// The two places a worker waits on its own: between polls (`WakeSignal`) and for a job's outcome (`JobWatch`).
/// Each wait must end however the events that end it are ordered; a wait that never ends stops the worker for good.
@Suite struct WaitingTests {
    final class Flag: Sendable {
        private let value = Atomic(false)
        func set() { value.store(true, ordering: .relaxed) }
        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    /// Runs `body` in a task of its own and reports whether it ended within `seconds` (a hung wait cannot be
    /// cancelled, so it is left behind rather than awaited). The bounds are generous: a hang never ends, while
    /// other suites running at once can keep the concurrency pool's threads busy for seconds.
    static func ends(within seconds: Double, _ body: @escaping @Sendable () async -> Void) async throws -> Bool {
        let ended = Flag()
        Task {
            await body()
            ended.set()
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !ended.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return ended.isSet
    }

    /// Timeouts that end before the signal's waiter has started waiting (the race of a zero wait, or of a busy
    /// machine): the waiter must still be woken.
    @Test func aWaitEndsWhenItsTimeoutComesFirst() async throws {
        let signal = WakeSignal()
        #expect(try await Self.ends(within: 120) { for _ in 0..<3_000 { await signal.wait(upTo: 0) } })
    }

    /// A signal sent while nobody waits is kept for the next wait.
    @Test func aSignalBeforeTheWaitIsKept() async throws {
        let signal = WakeSignal()
        signal.signal()
        #expect(try await Self.ends(within: 60) { await signal.wait(upTo: 3_600) })
    }

    /// A worker cancelled before its job began: the outcome (the cancellation) is decided before anyone waits for it.
    @Test func anOutcomeDecidedBeforeTheWaitIsDelivered() async throws {
        let watch = JobWatch()
        watch.cancel()
        let delivered = Flag()
        #expect(try await Self.ends(within: 60) {
            let outcome = await withCheckedContinuation { watch.install($0) }
            if case .failure(let error) = outcome, error is CancellationError { delivered.set() }
        })
        #expect(delivered.isSet)
    }
}
