import ArgumentParser
import Catalog
import Foundation
import Pipeline
import Server

struct Migrate: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations (every command does this too).")
    @OptionGroup var options: CatalogOptions

    func execute() async throws {
        let database = try await options.databaseURL().open()
        try await database.close()
        print("database \(try options.databaseURL()) is at schema version \(Migrations.all.last?.version ?? 0)")
    }
}

struct Index: CatalogCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index the storage roots now (DFI): queue an indexing, or join the one queued or running, and run it.")
    @OptionGroup var options: CatalogOptions
    @Flag(help: "Index an empty root as empty (its files flagged missing); otherwise it is taken for an unmounted mount point and the indexing fails.")
    var allowEmptyRoots = false

    func execute() async throws {
        var settings = try options.settings(requiringStorage: true)
        settings.allowEmptyRoots = allowEmptyRoots
        try await options.withCatalog { catalog in
            let job = try await Indexer.trigger(catalog: catalog, storage: settings.storageRoots)
            let bar = ProgressBar()
            try await Worker(catalog: catalog, settings: settings, queue: Queues.indexer)
                .run(drain: true, onJob: { _, _ in bar.clear() }, onProgress: bar.update)
            guard let finished = try await catalog.job(id: job.id) else { return }
            if finished.state == .failed { throw CatalogError("indexing failed: \(EscapedText.forTerminal(finished.error ?? "?"))") }
            print("indexing: \(EscapedText.forTerminal(finished.result ?? finished.state.rawValue))")
        }
    }
}

struct Ingest: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "Load files' histograms now (DETL): one indexed FILE, or every pending one.")
    @OptionGroup var options: CatalogOptions
    @Argument(help: "An indexed file (its path as indexed).") var file: String?
    @Flag(help: "Every file waiting for its ETL (PENDING).") var pending = false

    func execute() async throws {
        guard (file != nil) != pending else { throw ValidationError("give a FILE or --pending") }
        try await Self.load(file: file, options: options)
    }

    /// Loads `file` (nil: every INDEXED or PENDING file) and prints each file's outcome; exit status 1 when any did
    /// not end FINISHED. One file is read again first (a file FAILED at index time has no runs or counts to load
    /// by), and only its job runs: the queue's other jobs are left to the workers. `retry` shares it.
    static func load(file: String?, options: CatalogOptions) async throws {
        let settings = try options.settings()
        try await options.withCatalog { catalog in
            var targets: [FileRecord] = []
            var only: Int64?
            if let file {
                let path = URL(fileURLWithPath: file).standardizedFileURL.path
                var found = try await catalog.file(path: path)
                if found == nil { found = try await catalog.file(path: file) }
                guard let record = found else {
                    throw CatalogError("\(EscapedText.forTerminal(file)) is not indexed: run `mlplayground index` with its storage root first")
                }
                targets = [record]
                // Not while its load runs elsewhere: that load is waited for below, and the file's row is its own.
                if record.status != .started,
                   case .unreadable(_, let error, let status) = try await Indexer(catalog: catalog, settings: settings).reindex(record) {
                    print("\(EscapedText.forTerminal(record.path)): \(status.rawValue) — \(EscapedText.forTerminal(error))")
                    throw ExitCode(1)
                }
                only = try await ETL.enqueue(fileID: record.id, catalog: catalog).id
            } else {
                targets = try await catalog.files(status: .pending)
                for record in targets { try await ETL.enqueue(fileID: record.id, catalog: catalog) }
            }
            let bar = ProgressBar()
            try await Worker(catalog: catalog, settings: settings, queue: Queues.etl).run(drain: true, only: only, onJob: { job, outcome in
                bar.clear()
                FileHandle.standardError.write(Data("job \(job.id): \(EscapedText.forTerminal(outcome))\n".utf8))
            }, onProgress: bar.update)
            var failed = 0
            for record in targets {
                let now = try await catalog.file(id: record.id)
                print("\(EscapedText.forTerminal(record.path)): \(now?.status.rawValue ?? "?") \(now?.mesIngested ?? 0)/\(now?.mes ?? 0) MEs"
                      + (now?.error.map { " — \(EscapedText.forTerminal($0))" } ?? ""))
                if now?.status != .finished { failed += 1 }
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

struct Files: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "List indexed files; --json prints one object per line.")
    @OptionGroup var options: CatalogOptions
    @Option(help: "Only files with this status: \(FileStatus.allCases.map(\.rawValue).joined(separator: ", ")).") var status: String?
    @Flag(help: "JSON lines: path, status, missing, era, primary_dataset, processing, guid, runs, lumisections, mes, mes_ingested, error, …") var json = false

    func execute() async throws {
        let filter = try status.map { text -> FileStatus in
            guard let value = FileStatus(rawValue: text.uppercased()) else {
                throw ValidationError("unknown status \(text) (known: \(FileStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return value
        }
        try await options.withCatalog { catalog in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for file in try await catalog.files(status: filter) {
                if json {
                    print(String(decoding: try encoder.encode(file), as: UTF8.self))
                } else {
                    let flag = file.missing ? " (missing)" : ""
                    // Names and errors come from the storage: escaped, so that they cannot drive the terminal.
                    print("\(file.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(file.mesIngested)/\(file.mes) MEs  "
                          + "\(EscapedText.forTerminal(file.path))\(flag)\(file.error.map { "\n           \(EscapedText.forTerminal($0))" } ?? "")")
                }
            }
        }
    }
}

struct Jobs: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "List recent jobs of the queues.")
    @OptionGroup var options: CatalogOptions
    @Option(help: "Only this queue.") var queue: String?
    @Option(help: "Only this state: queued, running, succeeded, failed.") var state: JobState?
    @Option(help: "How many, newest first.") var limit = 50
    @Flag(help: "JSON lines.") var json = false

    func execute() async throws {
        try await options.withCatalog { catalog in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for job in try await catalog.jobs(queue: queue, state: state, limit: limit) {
                if json {
                    print(String(decoding: try encoder.encode(job), as: UTF8.self))
                } else {
                    print("#\(job.id) \(job.queue) \(job.kind) \(job.state.rawValue) attempts \(job.attempts)/\(job.maxAttempts) "
                          + "progress \(job.progressDone)/\(job.progressTotal) \(EscapedText.forTerminal(job.result ?? job.error ?? ""))")
                }
            }
        }
    }
}

extension JobState: ExpressibleByArgument {
    /// In any case, as `files --status` takes its statuses.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

@Sendable func printOutcome(_ job: JobRecord, _ outcome: String) async {
    print("job \(job.id) (\(job.kind) \(EscapedText.forTerminal(job.payload))): \(EscapedText.forTerminal(outcome))")
}

@Sendable func printProblem(_ problem: String) async {
    FileHandle.standardError.write(Data("mlplayground: \(EscapedText.forTerminal(problem))\n".utf8))
}

struct Retry: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "Queue the ETL of a file again (e.g. after a failure) and run it.")
    @OptionGroup var options: CatalogOptions
    @Argument(help: "An indexed file.") var file: String

    func execute() async throws {
        try await Ingest.load(file: file, options: options)
    }
}

struct WorkerCommand: CatalogCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run the jobs of a queue (like `celery worker -Q`).")
    @OptionGroup var options: CatalogOptions
    @Option(help: "\(Queues.all.joined(separator: " or ")).") var queue: String
    @Option(help: "Jobs of this queue running at once across all workers.") var concurrency = 1

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    }
    @Flag(help: "Run queued jobs until the queue is empty, then exit 0 (job failures show in `files`/`jobs`).") var drain = false

    func execute() async throws {
        guard Queues.all.contains(queue) else { throw ValidationError("unknown queue \(queue) (known: \(Queues.all.joined(separator: ", ")))") }
        let settings = try options.settings()
        try await options.withCatalog { catalog in
            try await Worker(catalog: catalog, settings: settings, queue: queue, concurrency: concurrency)
                .run(drain: drain, onJob: printOutcome, onProblem: printProblem)
        }
    }
}

struct Run: CatalogCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the API and UI, run the scheduler and a worker for each queue, in one process, until interrupted.")
    @OptionGroup var options: CatalogOptions
    @OptionGroup var server: ServerOptions
    @Option(help: "Minutes between indexings.") var indexEvery: Double = 10

    func validate() throws { try CatalogOptions.requirePositive(indexEvery, "--index-every") }

    func execute() async throws {
        let settings = try options.settings(requiringStorage: true)
        let serverSettings = try server.settings()
        try await options.withCatalog(waitingForServer: true) { catalog in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await HTTPServer(catalog: catalog, pipeline: settings, settings: serverSettings).run(onListening: announce)
                }
                group.addTask { try await Scheduler.loop(catalog: catalog, settings: settings, every: indexEvery) }
                for queue in Queues.all {
                    group.addTask {
                        try await Worker(catalog: catalog, settings: settings, queue: queue)
                            .run(drain: false, onJob: printOutcome, onProblem: printProblem)
                    }
                }
                // The server returns on SIGINT/SIGTERM: stop the rest with it.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}

struct Scheduler: CatalogCommand {
    static let configuration = CommandConfiguration(abstract: "Queue an indexing every --index-every minutes (like celery beat).")
    @OptionGroup var options: CatalogOptions
    @Option(help: "Minutes between indexings.") var indexEvery: Double = 10

    func validate() throws { try CatalogOptions.requirePositive(indexEvery, "--index-every") }

    func execute() async throws {
        let settings = try options.settings(requiringStorage: true)
        try await options.withCatalog { catalog in
            try await Self.loop(catalog: catalog, settings: settings, every: indexEvery)
        }
    }

    static func loop(catalog: Catalog, settings: PipelineSettings, every minutes: Double) async throws {
        while !Task.isCancelled {
            let job = try await Indexer.trigger(catalog: catalog, storage: settings.storageRoots)
            print("indexing job \(job.id) \(job.state.rawValue)")
            try await Task.sleep(for: .seconds(minutes * 60))
        }
    }
}
