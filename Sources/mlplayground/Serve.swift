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
    @Option(help: "URL clients reach the server at, e.g. https://mlp.example.org behind a proxy: the API's links start with it; https makes the session cookie Secure (env MLP_PUBLIC_URL; default: the server's own address).")
    var publicURL: String?
    @Option(help: "Seconds a connection may stay open with no request in progress.") var idleTimeout: Double = 60
    @Option(help: "Seconds a request's head may take from its first byte (a new connection's first head: from the connection).") var headerTimeout: Double = 10
    @Option(help: "Seconds a request's body may take from its head.") var bodyTimeout: Double = 30
    @Option(help: "Connections open at once; more wait until one closes.") var maxConnections = 1000
    @Option(help: "Failed authentications (bad token, failed sign-in) from one address before it is refused with 429.")
    var authFailures = 10
    @Option(help: "Seconds those failures are counted over; the address may retry when the oldest is this old.")
    var authFailureWindow: Double = 60
    @Option(help: "JWKS (a file, or an http(s) URL) whose RS256/ES256 keys sign OIDC bearer JWTs, accepted like a token (env MLP_OIDC_JWKS).")
    var oidcJwks: String?
    @Option(help: "The iss an OIDC token must have; required with --oidc-jwks (env MLP_OIDC_ISSUER).") var oidcIssuer: String?
    @Option(help: "A value the OIDC token's aud must contain; required with --oidc-jwks (env MLP_OIDC_AUDIENCE).") var oidcAudience: String?
    @Option(help: "The token claim listing the workspaces it may read, e.g. cern_roles (default: tokens are unrestricted).")
    var oidcWorkspacesClaim: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        for (value, option) in [(idleTimeout, "--idle-timeout"), (headerTimeout, "--header-timeout"), (bodyTimeout, "--body-timeout"),
                                (authFailureWindow, "--auth-failure-window")] {
            try CatalogOptions.requirePositive(value, option)
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1, not \(maxConnections)") }
        guard authFailures >= 1 else { throw ValidationError("--auth-failures must be at least 1, not \(authFailures)") }
    }

    func settings() throws -> ServerSettings {
        let environment = ProcessInfo.processInfo.environment
        var tokens = tokens
        if tokens.isEmpty, let listed = environment["MLP_API_TOKENS"] {
            tokens = commaSeparated(listed)
        }
        var publicURL: PublicURL?
        if let text = self.publicURL ?? environment["MLP_PUBLIC_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do { publicURL = try PublicURL(text) } catch { throw ValidationError("--public-url: \(error)") }
        }
        let limits = ConnectionLimits(idleTimeout: .seconds(idleTimeout), headerTimeout: .seconds(headerTimeout),
                                      bodyTimeout: .seconds(bodyTimeout), maxConnections: maxConnections)
        return ServerSettings(host: host, port: port, tokens: tokens, requireTokenForReads: requireTokenForReads, publicURL: publicURL,
                              limits: limits, authFailures: AuthFailureLimit(attempts: authFailures, window: .seconds(authFailureWindow)),
                              oidc: try oidcSettings(environment))
    }

    /// OIDC from the options, else their environment variables; nil when no JWKS is named.
    func oidcSettings(_ environment: [String: String]) throws -> OIDCSettings? {
        func value(_ option: String?, _ variable: String) -> String? {
            option ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        let issuer = value(oidcIssuer, "MLP_OIDC_ISSUER")
        let audience = value(oidcAudience, "MLP_OIDC_AUDIENCE")
        guard let jwks = value(oidcJwks, "MLP_OIDC_JWKS") else {
            if issuer != nil || audience != nil || oidcWorkspacesClaim != nil {
                throw ValidationError("--oidc-issuer, --oidc-audience and --oidc-workspaces-claim need --oidc-jwks")
            }
            return nil
        }
        guard let issuer else { throw ValidationError("--oidc-jwks needs --oidc-issuer (or MLP_OIDC_ISSUER)") }
        guard let audience else { throw ValidationError("--oidc-jwks needs --oidc-audience (or MLP_OIDC_AUDIENCE)") }
        if let claim = oidcWorkspacesClaim, claim.isEmpty { throw ValidationError("--oidc-workspaces-claim must not be empty") }
        return OIDCSettings(jwks: .init(jwks), issuer: issuer, audience: audience, workspacesClaim: oidcWorkspacesClaim)
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
        try await options.withCatalog(waitingForServer: true) { catalog in
            try await HTTPServer(catalog: catalog, pipeline: settings, settings: serverSettings).run(onListening: announce)
        }
    }
}
