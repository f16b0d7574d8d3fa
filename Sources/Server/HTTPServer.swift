import Catalog
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Pipeline

/// The HTTP server of `serve` and `run`: the API from its endpoint table, `/openapi.yaml` generated from the same
/// table, the docs page and the web UI.
public struct HTTPServer: Sendable {
    let state: ServerState

    public init(catalog: Catalog, pipeline: PipelineSettings, settings: ServerSettings) {
        state = ServerState(catalog: catalog, pipeline: pipeline, settings: settings)
    }

    /// Serves until SIGINT/SIGTERM; `onListening` hears the bound address (port 0 picks a free one).
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "mlplayground.http")
        logger.logLevel = .warning
        let limits = state.settings.limits
        let app = Application(
            router: makeRouter(),
            server: TimedHTTP1Channel.builder(limits),
            configuration: .init(address: .hostname(state.settings.host, port: state.settings.port), serverName: "mlplayground",
                                 // Beyond the cap the server stops accepting: new connections wait in the backlog.
                                 availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? state.settings.port
                await onListening("http://\(state.settings.host):\(port)")
            },
            logger: logger)
        try await state.oidc?.loadKeys()
        try await app.runService()
    }

    /// Middleware first (Hummingbird applies it to the routes added after it), then the routes, then what answers
    /// when none matches. HEAD is answered wherever GET is, by Hummingbird's generated HEAD routes.
    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints)
        SecurityHeaders.add(to: router)
        router.add(middleware: AuthThrottleMiddleware(failures: state.failedAuthentications, signInPaths: [UIRoutes.signInPath]))
        let routes = RouteRecorder(router)
        let endpoints = APIEndpoints.all
        for endpoint in endpoints {
            // Counted as answered; errors mapped to their JSON answers; the caller known before the handler runs.
            routes.group()
                .add(middleware: APIMetricsMiddleware(operation: endpoint.operationID, metrics: state.metrics))
                .add(middleware: APIErrorMiddleware(operation: endpoint.operationID))
                .add(middleware: APIAuthMiddleware(endpoint: endpoint, state: state))
                .on(RouterPath(Self.routerPath(endpoint.path)), method: endpoint.method == .get ? .get : .post) { request, context in
                    try await respond(endpoint, request, context)
                }
        }
        let document = OpenAPIDocument.build(endpoints, settings: state.settings,
                                             workspaces: state.workspaces.isImplicit ? nil : state.workspaces.names)
        let yaml = YAML.render(document)
        let json = document.serialized()
        routes.get("/openapi.yaml") { _, _ in Self.text(yaml, contentType: "application/yaml") }
        routes.get("/openapi.json") { _, _ in Self.text(json, contentType: "application/json") }
        routes.get("/docs") { _, _ in Self.text(DocsPage.render(endpoints), contentType: "text/html; charset=utf-8") }
        UIRoutes(state: state).register(on: routes)
        router.add(middleware: MethodMiddleware(allowed: routes.allowedMethods(headForGet: true)))
        return router
    }

    /// Runs an endpoint: its parameters from the request, then its handler (failures are the middleware's).
    private func respond(_ endpoint: Endpoint, _ request: Request, _ context: ServerContext) async throws -> Response {
        let query = Self.query(request, keepingEmpty: true)
        // A parameter we do not know would otherwise be ignored, and a filtered query answer everything.
        if let unknown = query.keys.sorted().first(where: { name in !endpoint.parameters.contains { $0.name == name && $0.location == .query } }) {
            throw APIError.badParameter(unknown, "unknown parameter for \(endpoint.path)")
        }
        var pathParameters: [String: String] = [:]
        for (position, name) in Self.pathParameterNames(endpoint.path).enumerated() {
            pathParameters[name] = context.parameters.get(Self.positionalName(position))
        }
        let apiRequest = APIRequest(query: query, pathParameters: pathParameters, origin: state.linkOrigin(context),
                                    path: request.uri.path, state: state, principal: context.principal, headers: request.headers)
        switch try await endpoint.handle(apiRequest) {
        case .json(let value): return Self.json(value, status: .ok)
        case .written(let json): return Self.json(json, status: .ok)
        case .text(let text, let contentType): return Self.text(text, contentType: contentType)
        case .stream(let contentType, let filename, let write): return Self.stream(contentType: contentType, filename: filename, write)
        }
    }

    /// `/api/v1/mes/{dataset_id}/{run_number}` as the router takes it, `/api/v1/mes/:p0/:p1`: Hummingbird's trie
    /// needs one name per position, and `mes/{me_id}` holds another there.
    static func routerPath(_ path: String) -> String {
        var position = 0
        return path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix("{") else { return String(segment) }
            defer { position += 1 }
            return ":" + positionalName(position)
        }.joined(separator: "/")
    }

    static func positionalName(_ position: Int) -> String { "p\(position)" }

    /// The `{name}`s of a path, in order.
    static func pathParameterNames(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The query string as a dictionary (a repeated parameter: the last one). The API keeps empty values, which
    /// its parameters then refuse; the UI's forms send empty fields for "any", so pages drop them.
    static func query(_ request: Request, keepingEmpty: Bool) -> [String: String] {
        formFields(request.uri.query ?? "", keepingEmpty: keepingEmpty)
    }

    /// `a=1&b=x+y` (a query string, or a form's body) as a dictionary; a repeated name: the last value.
    static func formFields(_ text: String, keepingEmpty: Bool) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? formDecoded(parts[1]) : ""
            if keepingEmpty || !value.isEmpty { fields[formDecoded(parts[0])] = value }
        }
        return fields
    }

    /// A query's name or value as forms (and clients such as Python's requests) send it: `+` for a space, then `%XX`
    /// escapes; a malformed escape is kept as sent. (Hummingbird's own decoding leaves `+` a plus, so a form's
    /// "my run" became "my+run".)
    static func formDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        var out = JSONOutput(capacity: 4096)
        value.write(into: &out)
        return json(out, status: status)
    }

    static func json(_ json: JSONOutput, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    /// A body sent as `write` produces it: the first bytes leave before the last rows are read, and a client that
    /// goes away fails the next write, which ends `write` (and its queries).
    static func stream(contentType: String, filename: String,
                       _ write: @escaping @Sendable (([UInt8]) async throws -> Void) async throws -> Void) -> Response {
        let headers: HTTPFields = [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(filename)\""]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await write { bytes in try await writer.write(ByteBuffer(bytes: bytes)) }
            try await writer.finish(nil)
        })
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
