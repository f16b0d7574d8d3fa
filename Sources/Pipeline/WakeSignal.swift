import Synchronization

/// Wakes an idle worker early: `signal()` from the LISTEN task ends the current (or next) `wait`. A signal that
/// arrives while nobody waits is kept, so a job queued between two claims is never slept through.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled, after `seconds`, or when the task is cancelled, whichever comes first.
    func wait(upTo seconds: Double) async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.nextSignal(); return true }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return false }
            let signalled = await group.next() ?? false
            group.cancelAll()
            // The sleeper ends on cancellation; the signal waiter must be woken by hand — and if it has not started
            // waiting yet, it must find the wake-up waiting for it, or the group would wait for it forever.
            if !signalled { self.signal() }
        }
    }

    private func nextSignal() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
