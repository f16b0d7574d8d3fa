import Foundation
import ROOTIO

/// Inflated baskets shared by the jobs that decode parts of them. ROOT grows a branch's baskets to tens of
/// megabytes (TTree::OptimizeBaskets), so one basket is decoded in chunks — in parallel, and without holding a
/// whole basket's decoded histograms at once — and each basket is read and inflated only once.
/// A basket is dropped when the last chunk the schedule planned for it has taken it.
final class InflatedBaskets: @unchecked Sendable {  // all state is guarded by `condition`
    struct ID: Hashable, Sendable {
        let kind: MonitorElementKind
        let isValue: Bool
        let basket: Int
    }

    private enum State {
        case loading
        case ready(Basket)
    }

    private let condition = NSCondition()
    private var states: [ID: State] = [:]
    private var usesLeft: [ID: Int] = [:]

    /// Plans `count` more uses of basket `id`.
    func expect(_ id: ID, uses count: Int) {
        condition.lock()
        usesLeft[id, default: 0] += count
        condition.unlock()
    }

    /// The inflated basket, loaded by the first caller while later ones wait for it.
    func basket(_ id: ID, load: () throws -> Basket) throws -> Basket {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch states[id] {
            case .ready(let basket):
                release(id)
                return basket
            case .loading:
                condition.wait()
            case nil:
                states[id] = .loading
                condition.unlock()
                let result = Result { try load() }
                condition.lock()
                switch result {
                case .success(let basket): states[id] = .ready(basket)
                case .failure: states[id] = nil  // the next caller tries again and gets its own error
                }
                condition.broadcast()
                let basket = try result.get()
                release(id)
                return basket
            }
        }
    }

    /// Counts one use; forgets the basket after the last planned one. Caller holds the lock.
    private func release(_ id: ID) {
        let left = (usesLeft[id] ?? 0) - 1
        usesLeft[id] = left
        if left <= 0 {
            states[id] = nil
            usesLeft[id] = nil
        }
    }
}
