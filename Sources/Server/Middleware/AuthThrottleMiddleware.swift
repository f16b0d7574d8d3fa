import Hummingbird

/// Throttles failed authentications per client address (`FailedAuthentications`): a request that presents a
/// credential — an `Authorization` header, or the sign-in form — from an address over its limit gets 429 with
/// `Retry-After`, whatever the credential; one answered 401 counts as a failure. Requests without a credential
/// (public reads, the session cookie's) are never counted nor refused: only guessing is slowed.
///
/// Clients are told apart by the connection's address, so behind a reverse proxy every client shares the proxy's.
struct AuthThrottleMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let failures: FailedAuthentications
    /// Paths whose POST is a sign-in with a token in the form (the UI's `/login`).
    let signInPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presentsCredential = request.headers[.authorization] != nil || (request.method == .post && signInPaths.contains(request.uri.path))
        guard presentsCredential else { return try await next(request, context) }
        let client = context.clientAddress
        if let wait = failures.retryAfter(client, at: .now) {
            let refusal = Self.tooManyAttempts(request, retryAfter: wait)
            return request.method == .head ? refusal.createHeadResponse() : refusal
        }
        let response = try await next(request, context)
        if response.status == .unauthorized { failures.recordFailure(client, at: .now) }
        return response
    }

    static func tooManyAttempts(_ request: Request, retryAfter wait: Duration) -> Response {
        // Whole seconds, rounded up: a client retrying at once after "0" would be refused again.
        let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
        let message = "too many failed authentications from this address; retry in \(seconds) s"
        var response = request.uri.path.hasPrefix("/api/")
            ? HTTPServer.json(APIError(status: .tooManyRequests, message: message, parameter: nil).body, status: .tooManyRequests)
            : HTTPServer.text(message + "\n", contentType: "text/plain; charset=utf-8", status: .tooManyRequests)
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}
