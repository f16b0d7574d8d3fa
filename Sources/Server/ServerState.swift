import Catalog
import Pipeline

/// What every handler shares: the catalog, the pipeline settings the index button uses, who may write, the
/// signed-in browser sessions, the failed-authentication throttle and the request counters.
final class ServerState: Sendable {
    let catalog: Catalog
    let pipeline: PipelineSettings
    let settings: ServerSettings
    let tokens: TokenSet
    /// Verifies OIDC bearer JWTs, when `--oidc-jwks` is set.
    let oidc: OIDCVerifier?
    let sessions = SessionStore()
    let failedAuthentications: FailedAuthentications
    let metrics = RequestMetrics()

    init(catalog: Catalog, pipeline: PipelineSettings, settings: ServerSettings) {
        self.catalog = catalog
        self.pipeline = pipeline
        self.settings = settings
        tokens = TokenSet(settings.tokens)
        oidc = settings.oidc.map { OIDCVerifier(settings: $0) }
        failedAuthentications = FailedAuthentications(limit: settings.authFailures)
    }

    /// Where the API's absolute links point: the public URL when one is set, else the socket the request came in on
    /// — never the request's Host header, which any client may set (links to evil.example served to others).
    func linkOrigin(_ context: ServerContext) -> String {
        settings.publicURL?.origin ?? context.localOrigin ?? "http://\(settings.host):\(settings.port)"
    }

    /// Session cookies are `Secure` when clients reach us over https (the server itself speaks plain HTTP: TLS ends
    /// at a proxy in front of it).
    var secureCookies: Bool { settings.publicURL?.isHTTPS ?? false }
}
