import Hummingbird

/// Turns what an API handler throws into its JSON answer: an `APIError` as it says (status, message, parameter);
/// anything else is a fault of ours, answered with only an error id (`APIError.logged`).
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let operation: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return HTTPServer.json(error.body, status: error.status)
        } catch {
            let refusal = APIError.logged(error, in: operation, logger: context.logger)
            return HTTPServer.json(refusal.body, status: refusal.status)
        }
    }
}
