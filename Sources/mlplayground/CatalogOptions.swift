import ArgumentParser
import Catalog
import DQMIO
import Foundation
import Pipeline

/// Options of every command that touches the database. Each has an environment variable and a default.
struct CatalogOptions: ParsableArguments {
    @Option(help: "Database URL: postgres://user:pass@host:port/db, postgres://user@/db?host=/socket/dir, sqlite:///absolute/path or sqlite:relative/path (env MLP_DATABASE_URL; default \(DatabaseURL.defaultURL)).")
    var database: String?

    @Option(help: "Colon-separated storage roots to scan (env MLP_STORAGE; default: none).")
    var storage: String?

    @Option(name: .customLong("me"), help: "ME name pattern, repeatable: the MEs to load (export: to export) (env MLP_ME_PATTERNS, comma-separated; default: all). re:REGEX, a glob, or a prefix.")
    var mePatterns: [String] = []

    @Option(help: ArgumentHelp("JSON file of workspaces (their ME and dataset patterns, a default; see config/workspaces.dials.json): the ETL loads the union of their ME patterns, the API scopes requests by their Workspace header (env MLP_WORKSPACES; default: one workspace selecting everything). Not with --me.", valueName: "file"))
    var workspaces: String?

    @Option(help: "Threads reading each file (default: all cores).")
    var threads: Int = DQMIOFile.defaultThreads

    @Option(help: "Seconds a claimed job stays a worker's without a heartbeat before another may take it over.")
    var lease: Double = 60

    @Option(help: "Seconds a running job may go without progress before its worker abandons it to be retried.")
    var stallTimeout: Double = 300

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        try Self.requirePositive(lease, "--lease")
        try Self.requirePositive(stallTimeout, "--stall-timeout")
    }

    /// A duration option: zero or less would spin (a heartbeat loop, a scheduler without pause) or abandon every job.
    static func requirePositive(_ value: Double, _ option: String) throws {
        guard value.isFinite, value > 0 else { throw ValidationError("\(option) must be a positive number, not \(value)") }
    }

    func databaseURL() throws -> DatabaseURL {
        try DatabaseURL(database ?? environment["MLP_DATABASE_URL"] ?? DatabaseURL.defaultURL)
    }

    func settings(requiringStorage: Bool = false) throws -> PipelineSettings {
        // Absolute, as the catalog records paths: `eos` and `./eos` are then one root, and `retry FILE` finds its file.
        let roots = (storage ?? environment["MLP_STORAGE"] ?? "").split(separator: ":").filter { !$0.isEmpty }
            .map { URL(fileURLWithPath: String($0)).standardizedFileURL.path }
        var patterns = mePatterns
        if patterns.isEmpty, let listed = environment["MLP_ME_PATTERNS"] {
            patterns = commaSeparated(listed)
        }
        if requiringStorage && roots.isEmpty {
            throw ValidationError("no storage roots: pass --storage or set MLP_STORAGE")
        }
        let configured = try workspaceConfiguration()
        if !configured.isImplicit && !patterns.isEmpty {
            throw ValidationError("--me (or MLP_ME_PATTERNS) and --workspaces (or MLP_WORKSPACES) both choose the MEs to load: "
                                  + "give one (with workspaces the ETL loads the union of their ME patterns)")
        }
        var settings = PipelineSettings(storageRoots: roots, mePatterns: try patterns.map(NamePattern.init), readerThreads: threads,
                                        lease: lease, stallTimeout: stallTimeout, readerPause: environment["MLP_TEST_ETL_PAUSE_MS"].flatMap(UInt32.init) ?? 0)
        settings.workspaces = configured
        return settings
    }

    /// `--workspaces FILE` or `MLP_WORKSPACES` read and checked; a bad file is a usage error (exit status 64) naming
    /// the file and what is wrong in it. Neither given: the implicit workspace selecting everything.
    func workspaceConfiguration() throws -> WorkspaceConfiguration {
        guard let file = workspaces ?? environment["MLP_WORKSPACES"].flatMap({ $0.isEmpty ? nil : $0 }) else { return .implicit }
        do {
            return try WorkspaceConfiguration.load(file: file)
        } catch {
            throw ValidationError(EscapedText.forTerminal(error.description))
        }
    }

    /// Opens the catalog (applying migrations), runs `body`, closes it. With `waitingForServer` (the long-running
    /// `serve` and `run`, which a server restart or a container started beside PostgreSQL should not stop) a
    /// server that cannot be reached is tried again, one line on stderr per attempt, until it answers or the
    /// process is interrupted; one-shot commands fail at once instead.
    @discardableResult
    func withCatalog<T>(waitingForServer: Bool = false, _ body: (Catalog) async throws -> T) async throws -> T {
        let url = try databaseURL()
        let catalog = waitingForServer ? try await Self.openWaiting(url) : try await Catalog.open(url)
        do {
            let value = try await body(catalog)
            try await catalog.close()
            return value
        } catch {
            try? await catalog.close()
            throw error
        }
    }
}

extension CatalogOptions {
    static func openWaiting(_ url: DatabaseURL) async throws -> Catalog {
        var attempt = 0
        while true {
            do {
                return try await Catalog.open(url)
            } catch let error as CatalogError where error.code == .unreachable {
                // The message names the server (host and port, or socket), never the password. Pauses double
                // from 1 s to 30 s: a restarting server is found soon, a missing one is not hammered.
                let pause = min(Duration.seconds(1 << min(attempt, 5)), .seconds(30))
                attempt += 1
                FileHandle.standardError.write(Data("mlplayground: attempt \(attempt): \(error); trying again in \(pause.components.seconds) s\n".utf8))
                try await Task.sleep(for: pause)
            }
        }
    }
}

/// Async commands share the one-line failure report of the reader commands; arguments found wrong only once the
/// command runs (neither FILE nor --pending, no storage roots, an unknown queue) are usage errors, as at parsing.
protocol CatalogCommand: AsyncParsableCommand {
    func execute() async throws
}

extension CatalogCommand {
    func run() async throws {
        do {
            try await execute()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            exitWithFailure(error)
        }
    }
}

/// The items of a comma-separated environment variable (`MLP_ME_PATTERNS`, `MLP_API_TOKENS`), trimmed, empty ones dropped.
func commaSeparated(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
