import Foundation
import Testing
import TestSupport

/// A PostgreSQL server that never answers: one-shot commands fail within connect_timeout naming it; `serve` keeps
/// trying, a line per attempt. Neither ever prints the password.
@Suite struct UnreachableDatabaseTests {
    @Test func filesFailsWithinTheTimeoutNamingTheServer() async throws {
        let listener = try SilentListener()
        let start = ContinuousClock.now
        let outcome = try await Binary.run(["files", "--database", "postgres://mlp:hunter2@127.0.0.1:\(listener.port)/cat?connect_timeout=1"],
                                     stoppedAfter: 60)
        // ~1 s alone, more when every suite starts at once; it took 65 s before connect_timeout was honoured.
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:\(listener.port) within 1 s"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("hunter2"))
        withExtendedLifetime(listener) {}
    }

    /// What another attempt would not change — here a database that does not exist — stops `serve` at once.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MLP_TEST_POSTGRES_URL"] != nil))
    func serveStopsAtOnceWhenTheServerRefuses() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["MLP_TEST_POSTGRES_URL"])
        let base = url[..<(try #require(url.lastIndex(of: "/")))]
        let outcome = try await Binary.run(["serve", "--port", "0", "--database", "\(base)/no_such_database"], stoppedAfter: 60)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("mlplayground: cannot connect to PostgreSQL at 127.0.0.1:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("no_such_database") && outcome.stderr.contains("3D000"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
    }

    @Test func serveTriesAgainALinePerAttempt() throws {
        let listener = try SilentListener()
        let process = try Binary.start(["serve", "--port", "0", "--database",
                                        "postgres://mlp:hunter2@127.0.0.1:\(listener.port)/cat?connect_timeout=1"], capture: true)
        // A bound, not an ordering: should serve stop retrying or hang, its stderr ends here and the test fails.
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer {
            watchdog.cancel()
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let stderr = try #require((process.standardError as? Pipe)?.fileHandleForReading)
        var text = ""
        while text.split(separator: "\n").count < 2 {
            let chunk = stderr.availableData
            if chunk.isEmpty { break }  // it exited
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 2, "\(text)")
        for (number, line) in lines.prefix(2).enumerated() {
            #expect(line.hasPrefix("mlplayground: attempt \(number + 1): cannot connect to PostgreSQL at 127.0.0.1:\(listener.port)"), "\(line)")
        }
        #expect(process.isRunning)
        #expect(!text.contains("hunter2"))
        withExtendedLifetime(listener) {}
    }
}
