import Foundation
import Testing
import TestSupport

/// `--workspaces FILE` / `MLP_WORKSPACES` on the commands: a bad file, or workspaces with `--me`, is a usage error
/// (64) naming the file and what is wrong, refused before the database is opened; a good one is used.
@Suite struct WorkspaceOptionTests {
    static let unopenable = ["--database", "sqlite:///nonexistent/folder/catalog.sqlite"]

    static func write(_ json: String) throws -> String {
        let url = try TemporaryFolder().url.appendingPathComponent("workspaces.json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test(arguments: [["index", "--storage", "/tmp"], ["ingest", "--pending"], ["worker", "--queue", "dqmio_etl_queue"], ["serve", "--port", "0"],
                      ["run", "--storage", "/tmp", "--port", "0"]])
    func aBadFileIsAUsageErrorNamingIt(_ command: [String]) async throws {
        let file = try Self.write(#"{"workspaces": [{"name": "csc", "me": ["CSC/"]}, {"name": "csc", "me": ["DT/"]}]}"#)
        let outcome = try await Binary.run(command + Self.unopenable + ["--workspaces", file], stoppedAfter: 60)
        #expect(outcome.status == 64, "\(command): \(outcome.stderr)")
        #expect(outcome.stderr.contains("workspace configuration \(file): workspaces[1]: a second workspace named \"csc\""), "\(outcome.stderr)")
    }

    @Test func theEnvironmentVariableIsReadToo() async throws {
        let file = try Self.write(#"{"workspaces": [{"name": "csc", "me": ["CSC/"]}], "default": "ecal"}"#)
        let outcome = try await Binary.run(["ingest", "--pending"] + Self.unopenable, environment: ["MLP_WORKSPACES": file])
        #expect(outcome.status == 64, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("workspace configuration \(file): default \"ecal\" is none of the workspaces (csc)"), "\(outcome.stderr)")
        let missing = try await Binary.run(["ingest", "--pending"] + Self.unopenable + ["--workspaces", "/nonexistent/ws.json"])
        #expect(missing.status == 64 && missing.stderr.contains("workspace configuration /nonexistent/ws.json: no such file"), "\(missing.stderr)")
    }

    @Test func workspacesAndMEPatternsAreOneOrTheOther() async throws {
        let both = try await Binary.run(["ingest", "--pending", "--me", "CSC/", "--workspaces", WorkspaceFixture.dials.path] + Self.unopenable)
        #expect(both.status == 64 && both.stderr.contains("--me (or MLP_ME_PATTERNS) and --workspaces (or MLP_WORKSPACES) both choose"), "\(both.stderr)")
        let fromEnvironment = try await Binary.run(["ingest", "--pending", "--workspaces", WorkspaceFixture.dials.path] + Self.unopenable,
                                             environment: ["MLP_ME_PATTERNS": "CSC/"])
        #expect(fromEnvironment.status == 64 && fromEnvironment.stderr.contains("both choose"), "\(fromEnvironment.stderr)")
    }

    /// A good file is loaded: index and ingest the fixture tree with it and count what was loaded.
    @Test func aGoodFileChoosesWhatIsLoaded() async throws {
        let folder = try TemporaryFolder().url
        let storage = folder.appendingPathComponent("eos")
        try FileManager.default.copyItem(at: Fixtures.root, to: storage)
        let common = ["--database", "sqlite://\(folder.path)/catalog.sqlite", "--storage", storage.path, "--workspaces", try WorkspaceFixture.file().path]
        #expect(try await Binary.run(["index"] + common).status == 0)
        let ingested = try await Binary.run(["ingest", "--pending"] + common)
        var wanted = 0
        for path in Fixtures.good.values { wanted += try TruthRecord.all(besides: path).filter { WorkspaceFixture.union($0.name) }.count }
        let counts = ingested.stdout.split(separator: "\n").filter { $0.contains(": FINISHED ") }.compactMap { line -> Int? in
            guard let range = line.range(of: #"FINISHED [0-9]+/"#, options: .regularExpression) else { return nil }
            return Int(line[range].dropFirst("FINISHED ".count).dropLast())
        }
        #expect(counts.count == Fixtures.good.count, "\(ingested.stdout)")
        #expect(counts.reduce(0, +) == wanted && wanted > 0, "\(ingested.stdout)")
    }
}
