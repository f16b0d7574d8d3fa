import HTTPTypes
import Hummingbird

/// The headers every answer carries so that browsers confine the UI: Hummingbird's `ContentSecurityMiddleware`
/// sets `Content-Security-Policy` and `X-Content-Type-Options: nosniff`; `FramingMiddleware` adds what it lacks,
/// `X-Frame-Options` (for browsers without `frame-ancestors`) and `Referrer-Policy`.
enum SecurityHeaders {
    /// Everything from this server only; no inline script or style (the pages have none: `/static/app.js` does
    /// all scripting and listens for its events itself), no plugins, no `<base>`, forms post here, no framing.
    static let policy: ContentSecurityPolicy = [
        .defaultSrc(.self), .scriptSrc(.self), .styleSrc(.self), .objectSrc(.none),
        .baseURI(.none), .formAction(.self), .frameAncestors(.none),
    ]

    static func add(to router: Router<ServerContext>) {
        router.add(middleware: ContentSecurityMiddleware<ServerContext>(contentSecurityPolicy: policy))
        router.add(middleware: FramingMiddleware())
    }

    struct FramingMiddleware: RouterMiddleware {
        typealias Context = ServerContext

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var response = try await next(request, context)
            response.headers[.xFrameOptions] = "DENY"
            // Page URLs carry filters (paths, dataset names): other sites learn no more than our origin.
            response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
            return response
        }
    }
}

extension HTTPField.Name {
    // Not among swift-http-types' names. Constant, valid field names: the unwraps cannot fail.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
