import Hummingbird
import Logging

/// Decides who calls an API route and puts the answer in `context.principal`: a static bearer token (`--token`),
/// an OIDC bearer JWT (`--oidc-jwks`), the UI's session cookie (reads only: the pages' plots and job progress read
/// the API), or nobody. Writes need a token or a JWT; reads need a caller only with `--require-token-for-reads`.
/// A route that needs a caller answers 401 without one; `AuthThrottleMiddleware`, outside it, counts that 401 as
/// a failed authentication. A credential a public read does not need is still read, for the principal; if it
/// does not verify the read goes on anonymously, as it would without it.
struct APIAuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let endpoint: Endpoint
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let needsCaller = endpoint.writes || state.settings.requireTokenForReads
        var principal = await bearer(request.headers[.authorization], logger: context.logger)
        if principal == nil, !endpoint.writes, let cookie = request.cookies[SessionStore.cookieName]?.value,
           await state.sessions.session(cookie) != nil {
            principal = .session
        }
        guard let principal = principal ?? (needsCaller ? nil : .anonymous) else { throw APIError.unauthorized }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// The caller an `Authorization: Bearer …` header names: a static token (compared in constant time first), else
    /// a JWT when OIDC is configured; nil when there is none or it does not verify. Neither the token nor the
    /// reason is logged beyond the reason's code.
    private func bearer(_ header: String?, logger: Logger) async -> Principal? {
        guard let token = TokenSet.bearer(header) else { return nil }
        if state.tokens.accepts(token) { return .token }
        guard let oidc = state.oidc else { return nil }
        do {
            return try await oidc.verify(token)
        } catch {
            logger.debug("bearer JWT refused: \(error.code)")
            return nil
        }
    }
}
