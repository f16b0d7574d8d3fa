import Foundation
import Testing
import TestSupport

/// Runs the built `mlplayground` binary as users do.
@Suite struct CLITests {
    func run(_ arguments: [String]) async throws -> Binary.Outcome { try await Binary.run(arguments) }

    @Test func dumpPrintsOneLinePerTruthLine() async throws {
        let path = try Fixtures.file(run: "380001")
        let truth = try String(contentsOfFile: String(path.dropLast(5)) + ".truth.jsonl", encoding: .utf8)
        let outcome = try await run(["dump", path])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.split(separator: "\n").count == truth.split(separator: "\n").count)
        let firstTruth = try #require(truth.split(separator: "\n").first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(firstTruth.utf8)) as? [String: Any])
        let truthName = try #require(record["name"] as? String)
        #expect(outcome.stdout.contains("\"name\":\"\(truthName)\""))
    }

    @Test func dumpFiltersAndSummarises() async throws {
        let path = try Fixtures.file(run: "380008")
        let all = try await run(["dump", path]).stdout.split(separator: "\n")
        let profiles = try await run(["dump", path, "--kinds", "TProfile,th2"]).stdout.split(separator: "\n")
        #expect(profiles.count == all.filter { $0.contains("\"kind\":\"TProfile") || $0.contains("\"kind\":\"TH2") }.count)
        let matched = try await run(["dump", path, "--match", "Info/*", "--match", "re:occupancy"]).stdout.split(separator: "\n")
        #expect(!matched.isEmpty && matched.count < all.count)
        let runLevel = try await run(["dump", path, "--include-run-level", "--lumi", "0"]).stdout.split(separator: "\n")
        #expect(!runLevel.isEmpty && runLevel.allSatisfy { $0.contains("\"lumi\":0,") })
        let summary = try await run(["dump", path, "--summary"])
        #expect(summary.stdout.hasPrefix("mes=\(all.count) sum="))
        #expect(try await run(["dump", path, "--summary", "--threads", "1"]).stdout == summary.stdout)
        let unknown = try await run(["dump", path, "--kinds", "TH9Q"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("TH9Q"))
    }

    @Test func inspectReportsTheFile() async throws {
        let path = try Fixtures.file(run: "381207")
        let text = try await run(["inspect", path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("LZ4"))
        let json = try await run(["inspect", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["guid"] as? String == "0F9E8D7C-6B5A-4938-A7B6-C5D4E3F2A1B0")
        #expect(object["runs"] as? [Int] == [381207])
        #expect((object["lumisections"] as? Int ?? 0) == 3)
    }

    /// Durations and counts that would spin (a heartbeat or scheduler loop without pause), abandon every job or
    /// never claim one are usage errors (64), refused before the database is opened.
    @Test(arguments: [["worker", "--queue", "dqmio_etl_queue", "--lease", "0"], ["worker", "--queue", "dqmio_etl_queue", "--concurrency", "0"],
                      ["scheduler", "--index-every=-1"], ["run", "--index-every", "nan"], ["index", "--stall-timeout", "inf"],
                      ["ingest", "--pending", "--threads", "0"]].map { $0 + ["--database", "sqlite:///nonexistent/folder/catalog.sqlite"] }
                      + [["dump", "/nonexistent/file.root", "--threads", "0"]])
    func durationsAndCountsMustBePositive(_ arguments: [String]) async throws {
        let outcome = try await run(arguments)
        #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains("must be"), "\(arguments): \(outcome.stderr)")
    }

    /// Arguments that only the running command can find wrong are usage errors too; states, like statuses, take any case.
    @Test func argumentsFoundWrongWhileRunningAreUsageErrors() async throws {
        let database = "sqlite://" + (try TemporaryFolder()).url.appendingPathComponent("catalog.sqlite").path
        let neither = try await run(["ingest", "--database", database])
        #expect(neither.status == 64 && neither.stderr.contains("give a FILE or --pending"), "\(neither.stderr)")
        let queue = try await run(["worker", "--queue", "nope", "--database", database])
        #expect(queue.status == 64 && queue.stderr.contains("unknown queue nope"), "\(queue.stderr)")
        #expect(try await run(["jobs", "--state", "QUEUED", "--database", database]).status == 0)
        #expect(try await run(["files", "--status", "finished", "--database", database]).status == 0)
    }

    @Test(arguments: Fixtures.badNames)
    func badFilesExitOneWithOneLineNamingTheFile(_ name: String) async throws {
        let path = Fixtures.bad(name)
        let outcome = try await run(["dump", path])
        #expect(outcome.status == 1)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(outcome.stderr.contains(path))
    }
}
