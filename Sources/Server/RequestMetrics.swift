import Synchronization

/// Request counters by operation and status, and total handling time, for `/api/v1/metrics`.
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let operation: String
        let status: Int
    }

    private let counters = Mutex<[Key: (count: Int, seconds: Double)]>([:])

    func record(operation: String, status: Int, seconds: Double) {
        counters.withLock { counters in
            let key = Key(operation: operation, status: status)
            let old = counters[key] ?? (0, 0)
            counters[key] = (old.count + 1, old.seconds + seconds)
        }
    }

    /// Prometheus text lines for the counters.
    func lines() -> [String] {
        let snapshot = counters.withLock { $0 }.sorted { ($0.key.operation, $0.key.status) < ($1.key.operation, $1.key.status) }
        var lines = ["# HELP mlp_http_requests_total Requests answered, by operation and status.",
                     "# TYPE mlp_http_requests_total counter"]
        for (key, value) in snapshot {
            lines.append("mlp_http_requests_total{operation=\"\(key.operation)\",status=\"\(key.status)\"} \(value.count)")
        }
        lines += ["# HELP mlp_http_request_seconds_total Time spent answering, by operation.",
                  "# TYPE mlp_http_request_seconds_total counter"]
        for (key, value) in snapshot {
            lines.append("mlp_http_request_seconds_total{operation=\"\(key.operation)\",status=\"\(key.status)\"} \(value.seconds)")
        }
        return lines
    }
}
