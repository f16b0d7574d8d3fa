import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import TestSupport

/// Public reads cannot take the server's CPU with `me__regex`: patterns are matched one at a time on a thread of
/// their own, each within its budget, so the health check answers at once while runaway patterns are refused.
@Suite struct RegexLoadTests {
    @Test func runawayPatternsInParallelLeaveTheHealthCheckFast() async throws {
        let folder = try TemporaryFolder().url
        let server = try await RunningServer.start(databaseURL: "sqlite://\(folder.path)/catalog.sqlite")
        defer { server.stop() }
        // Its own connections: the shared session's would queue behind the storm's.
        let health = URLSession(configuration: .ephemeral)
        let healthURL = try #require(URL(string: server.url + "/api/v1/health"))
        _ = try await health.data(from: healthURL)

        let finished = Finished()
        let storm = 10
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<storm {
                group.addTask {
                    defer { finished.count.add(1, ordering: .relaxed) }
                    return try await server.request("/api/v1/th1?me__regex=%28.%2A%29%2A%21").status
                }
            }
            group.addTask {
                var latencies: [Duration] = []
                while finished.count.load(ordering: .relaxed) < storm {
                    let start = ContinuousClock.now
                    let (_, response) = try await health.data(from: healthURL)
                    latencies.append(start.duration(to: .now))
                    #expect((response as? HTTPURLResponse)?.statusCode == 200)
                }
                latencies.sort()
                #expect(latencies.count >= 3, "the storm ended before the health checks began: \(latencies)")
                // The median: a check delayed by the rest of a parallel test run is no regression; before the gate,
                // checks could not run at all while the patterns held the pool's threads.
                if !latencies.isEmpty {
                    #expect(latencies[latencies.count / 2] < .milliseconds(100), "health check latencies \(latencies)")
                }
                return nil
            }
            var statuses: [Int] = []
            for try await status in group { if let status { statuses.append(status) } }
            return statuses
        }
        // Each runaway pattern is refused: over its budget (400), or turned away while too many wait (503).
        #expect(statuses.count == storm && statuses.allSatisfy { $0 == 400 || $0 == 503 }, "\(statuses)")
        #expect(statuses.contains(400))
    }
}

/// How many of the storm's requests have been answered.
private final class Finished: Sendable {
    let count = Atomic(0)
}
