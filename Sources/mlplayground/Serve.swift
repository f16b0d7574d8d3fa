import ArgumentParser
import Catalog
import Foundation
import Server

/// Options of the commands that serve HTTP (`serve`, `run`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
    @Option(name: .customLong("token"), help: "Bearer token accepted for writes, repeatable (env MLP_API_TOKENS, comma-separated).")
    var tokens: [String] = []
    @Flag(help: "Require a token for reads too (default: reads are public).") var requireTokenForReads = false

    func settings() throws -> ServerSettings {
        var tokens = tokens
        if tokens.isEmpty, let listed = ProcessInfo.processInfo.environment["MLP_API_TOKENS"] {
            tokens = commaSeparated(listed)
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        return ServerSettings(host: host, port: port, tokens: tokens, requireTokenForReads: requireTokenForReads)
    }
}

@Sendable func announce(_ address: String) async {
    // Unbuffered, so that scripts waiting for the address see it at once.
    FileHandle.standardOutput.write(Data("mlplayground: serving on \(address) (API \(address)/api/v1, docs \(address)/docs)\n".utf8))
}

struct Serve: CatalogCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the REST API (/api/v1, /openapi.yaml) and the web UI until interrupted; `run` adds the workers.")
    @OptionGroup var options: CatalogOptions
    @OptionGroup var server: ServerOptions

    func execute() async throws {
        let settings = try options.settings()
        let serverSettings = try server.settings()
        try await options.withCatalog { catalog in
            try await HTTPServer(catalog: catalog, pipeline: settings, settings: serverSettings).run(onListening: announce)
        }
    }
}
