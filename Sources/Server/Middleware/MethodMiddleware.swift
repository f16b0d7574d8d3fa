import Hummingbird

/// What the router answers when no route matches: OPTIONS on a known path is 204 with `Allow`, another method
/// 405 with `Allow`; a path no route has stays 404. Answers under `/api/` have the API's JSON error body.
///
/// Added after every route, so that it wraps only the router's not-found responder (Hummingbird applies a
/// router middleware to the routes added after it, and to the not-found responder).
struct MethodMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A HEAD answer has the headers of its GET and no body (the client would read one as the next answer).
            let response = try await answer(request, context: context, notFound: error)
            return request.method == .head ? response.createHeadResponse() : response
        }
    }

    private func answer(_ request: Request, context: Context, notFound error: HTTPError) async throws -> Response {
        let isAPI = request.uri.path.hasPrefix("/api/")
        guard let allow = await allowed.allow(request, context: context) else {
            guard isAPI else { throw error }
            return HTTPServer.json(APIError(status: .notFound, message: "no such path: \(request.uri.path)", parameter: nil).body,
                                   status: .notFound)
        }
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: allow])
        }
        let message = "\(request.method.rawValue) is not allowed on \(request.uri.path) (allowed: \(allow))"
        var response = isAPI
            ? HTTPServer.json(APIError(status: .methodNotAllowed, message: message, parameter: nil).body, status: .methodNotAllowed)
            : HTTPServer.text(message + "\n", contentType: "text/plain; charset=utf-8", status: .methodNotAllowed)
        response.headers[.allow] = allow
        return response
    }
}
