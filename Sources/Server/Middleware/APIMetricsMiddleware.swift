import Hummingbird

/// Counts each API answer by operation and status, with the time it took, for `/api/v1/metrics`. Outermost of an
/// endpoint's middleware, so refusals (401, 400) and failures (500) are counted as what the client received.
struct APIMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let operation: String
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(operation: operation, status: response.status.code, seconds: started.duration(to: .now) / .seconds(1))
        return response
    }
}
