import Hummingbird

/// The router as the server's routes are registered on it, noting each path's methods on the way: Hummingbird's
/// router answers 404 for a known path asked with another method and cannot say which methods a path has, which
/// OPTIONS (204 with `Allow`) and 405 need.
struct RouteRecorder: RouterMethods {
    typealias Context = ServerContext
    let router: Router<ServerContext>
    private let registered = Registered()

    init(_ router: Router<ServerContext>) {
        self.router = router
    }

    private final class Registered {
        var methods: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        registered.methods[path.description, default: (path, [])].methods.append(method)
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// The methods recorded so far, path by path, as `AllowedMethods` looks them up.
    func allowedMethods(headForGet: Bool) -> AllowedMethods {
        AllowedMethods(registered.methods.values.map { entry in
            var methods = entry.methods
            if headForGet, methods.contains(.get), !methods.contains(.head) { methods.append(.head) }
            return (entry.path, methods + [.options])
        })
    }
}

/// Which methods the path of a request has, found by the same trie Hummingbird routes with (a second router whose
/// only route per path answers its `Allow` value), so a path matches here exactly when it matches there: a
/// literal segment before a parameter, the same decoding.
struct AllowedMethods: Sendable {
    private let lookup: RouterResponder<ServerContext>

    init(_ paths: [(RouterPath, [HTTPRequest.Method])]) {
        let router = Router(context: ServerContext.self)
        for (path, methods) in paths {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            router.get(path) { _, _ in Response(status: .ok, headers: [.allow: allow]) }
        }
        lookup = router.buildResponder()
    }

    /// The `Allow` value for the request's path, nil for a path no route has.
    func allow(_ request: Request, context: ServerContext) async -> String? {
        var head = request.head
        head.method = .get
        let response = try? await lookup.respond(to: Request(head: head, body: .init(buffer: ByteBuffer())), context: context)
        guard let response, response.status == .ok else { return nil }
        return response.headers[.allow]
    }
}
