import ArgumentParser

@main
struct MLPlayground: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlplayground",
        abstract: "Index, load and serve CMS DQMIO histograms — read without ROOT.",
        subcommands: [Inspect.self, Dump.self, Migrate.self, Index.self, Ingest.self, Files.self, Jobs.self, Retry.self, Export.self,
                      WorkerCommand.self, Scheduler.self, Run.self, Serve.self]
    )

    static func main() async {
        MemoryTuning.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
