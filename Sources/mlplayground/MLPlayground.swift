import ArgumentParser

@main
struct MLPlayground: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlplayground",
        abstract: "Index, load and serve CMS DQMIO histograms — read without ROOT.",
        subcommands: [Inspect.self, Dump.self]
    )

    static func main() {
        MemoryTuning.apply()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
