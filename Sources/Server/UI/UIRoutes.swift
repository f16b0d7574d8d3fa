import Catalog
import Foundation
import Hummingbird

/// The web UI's routes. Pages read through the API's resources (same filters, same cursors); writes need a
/// session (signed in with a token) and its CSRF token.
struct UIRoutes: Sendable {
    let state: ServerState
    /// The sign-in form's page and target; its failures count towards the address's failed authentications.
    static let signInPath = "/login"

    /// What a page handler gets: the request's query, its session (if signed in) and where it is.
    struct PageRequest: Sendable {
        let query: [String: String]
        let session: SessionStore.Session?
        let path: String
        let state: ServerState
        /// The workspace the picker chose (its cookie); nil: the default.
        var workspace: String? = nil

        /// An API request for a resource list, with the page's own path so cursor links come back here, in the
        /// page's workspace.
        func apiRequest(_ extra: [String: String] = [:]) -> APIRequest {
            apiRequest(query: query.merging(extra) { _, new in new })
        }

        /// An API request with exactly this query (and path parameters), in the page's workspace.
        func apiRequest(query: [String: String], pathParameters: [String: String] = [:]) -> APIRequest {
            APIRequest(query: query, pathParameters: pathParameters, origin: "", path: path, state: state,
                       headers: workspace.map { [WorkspaceScope.headerName: $0] } ?? [:])
        }

        func page(_ title: String, _ body: String) -> String {
            let configuration = state.workspaces
            let workspaces = configuration.isImplicit ? nil : (configuration.names, workspace ?? configuration.defaultWorkspace.name)
            return HTML.page(title: title, signedIn: session != nil, csrf: session?.csrfToken, workspaces: workspaces, path: path, body: body)
        }
    }

    /// The cookie that remembers the picker's workspace (a view preference, not a credential).
    static let workspaceCookie = "mlp_workspace"

    func register(on router: RouteRecorder) {
        page(router, "/") { request, _ in try await OverviewPage.render(request) }
        page(router, "/files") { request, _ in try await FilePages.list(request) }
        page(router, "/files/:id") { try await FilePages.detail($0, id: $1.parameters.get("id")) }
        page(router, "/runs") { request, _ in try await RunPages.runs(request) }
        page(router, "/runs/:run") { try await RunPages.lumisections($0, run: $1.parameters.get("run")) }
        page(router, "/runs/:run/ls/:ls") {
            try await RunPages.histograms($0, run: $1.parameters.get("run"), ls: $1.parameters.get("ls"))
        }
        page(router, "/runs/:run/me/:dimension/:me") {
            try await MEOverRunPage.render($0, run: $1.parameters.get("run"), dimension: $1.parameters.get("dimension"), me: $1.parameters.get("me"))
        }
        page(router, "/histograms/:dimension/:id") {
            try await HistogramPage.render($0, dimension: $1.parameters.get("dimension"), id: $1.parameters.get("id"))
        }
        page(router, RouterPath(Self.signInPath)) { request, _ in LoginPage.render(request, failed: false) }
        router.post(RouterPath(Self.signInPath)) { request, context in try await signIn(request, context) }
        router.post("/logout") { request, context in try await signOut(request, context) }
        router.post("/ui/index") { request, context in await indexNow(request, context) }
        router.get("/ui/workspace") { request, _ in chooseWorkspace(request) }
        StaticAssets.register(on: router)
    }

    /// A GET page: HTML, with API errors (bad filters, unknown ids) shown as pages with their status. When reads
    /// need a token, pages other than the sign-in page send visitors without a session there.
    private func page(_ router: RouteRecorder, _ path: RouterPath,
                      _ render: @escaping @Sendable (PageRequest, ServerContext) async throws -> String) {
        router.get(path) { request, context in
            let pageRequest = PageRequest(query: HTTPServer.query(request, keepingEmpty: false), session: await session(request),
                                          path: request.uri.path, state: state, workspace: chosenWorkspace(request))
            if state.settings.requireTokenForReads, pageRequest.session == nil, request.uri.path != Self.signInPath {
                let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                let next = here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return Response(status: .seeOther, headers: [.location: "/login?next=\(next)"])
            }
            do {
                return HTTPServer.text(try await render(pageRequest, context), contentType: "text/html; charset=utf-8")
            } catch let error as APIError {
                return HTTPServer.text(pageRequest.page("Error \(error.status.code)", "<p class=\"error\">\(HTML.escape(error.message))</p>"),
                                       contentType: "text/html; charset=utf-8", status: error.status)
            }
        }
    }

    /// The picker's workspace from its cookie, when it is still configured (a name dropped from the configuration
    /// falls back to the default rather than making every page a 404).
    private func chosenWorkspace(_ request: Request) -> String? {
        guard let name = request.cookies[Self.workspaceCookie]?.value, state.workspaces.workspace(named: name) != nil else { return nil }
        return name
    }

    private func session(_ request: Request) async -> SessionStore.Session? {
        await state.sessions.session(request.cookies[SessionStore.cookieName]?.value)
    }

    private func signIn(_ request: Request, _ context: ServerContext) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        let next = form["next"].flatMap(LoginPage.localPath)
        guard let token = form["token"], state.tokens.accepts(token) else {
            let page = PageRequest(query: next.map { ["next": $0] } ?? [:], session: nil, path: "/login", state: state)
            return HTTPServer.text(LoginPage.render(page, failed: true), contentType: "text/html; charset=utf-8", status: .unauthorized)
        }
        let session = await state.sessions.create()
        var response = Response(status: .seeOther, headers: [.location: next ?? "/"])
        response.setCookie(Cookie(name: SessionStore.cookieName, value: session.id, maxAge: Int(SessionStore.lifetime), path: "/",
                                  secure: state.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Ends the session on the server, not only in the browser: a copy of the old cookie no longer signs anyone
    /// in. Without the session's CSRF token (a stale page, another site's form) it is a 403 that changes
    /// nothing, rather than a cleared cookie beside a session still alive.
    private func signOut(_ request: Request, _ context: ServerContext) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        var signedOut = Response(status: .seeOther, headers: [.location: "/"])
        signedOut.setCookie(Cookie(name: SessionStore.cookieName, value: "", maxAge: 0, path: "/",
                                   secure: state.secureCookies, httpOnly: true, sameSite: .strict))
        guard let session = await session(request) else { return signedOut }
        guard form["csrf"] == session.csrfToken else {
            let page = PageRequest(query: [:], session: session, path: request.uri.path, state: state)
            return HTTPServer.text(page.page("Error 403", "<p class=\"error\">Sign-out needs the page's CSRF token: reload the page and try again.</p>"),
                                   contentType: "text/html; charset=utf-8", status: .forbidden)
        }
        await state.sessions.end(session.id)
        return signedOut
    }

    /// The picker's choice: a configured workspace is remembered in a cookie, then back to the page it was made on
    /// (local paths only); an unknown one is a 404 page naming it.
    private func chooseWorkspace(_ request: Request) -> Response {
        let query = HTTPServer.query(request, keepingEmpty: false)
        let name = query["name"] ?? ""
        guard state.workspaces.workspace(named: name) != nil else {
            let page = PageRequest(query: [:], session: nil, path: "/", state: state)
            return HTTPServer.text(page.page("Error 404", "<p class=\"error\">\(HTML.escape("workspace \"\(name)\" not found"))</p>"),
                                   contentType: "text/html; charset=utf-8", status: .notFound)
        }
        var response = Response(status: .seeOther, headers: [.location: query["next"].flatMap(LoginPage.localPath) ?? "/"])
        response.setCookie(Cookie(name: Self.workspaceCookie, value: name, maxAge: 365 * 86_400, path: "/",
                                  secure: state.secureCookies, httpOnly: false, sameSite: .lax))
        return response
    }

    /// The overview's button: a signed-in session with its CSRF token in `X-CSRF-Token` queues an indexing.
    private func indexNow(_ request: Request, _ context: ServerContext) async -> Response {
        guard let session = await session(request) else {
            return HTTPServer.json(APIError(status: .unauthorized, message: "sign in first", parameter: nil).body, status: .unauthorized)
        }
        guard let sent = request.headers.first(where: { $0.name.canonicalName == "x-csrf-token" })?.value, sent == session.csrfToken else {
            return HTTPServer.json(APIError(status: .forbidden, message: "missing or wrong CSRF token", parameter: nil).body, status: .forbidden)
        }
        do {
            return HTTPServer.json(try await APIEndpoints.startIndexing(state), status: .ok)
        } catch let error as APIError {
            return HTTPServer.json(error.body, status: error.status)
        } catch {
            let refusal = APIError.logged(error, in: "ui index", logger: context.logger)
            return HTTPServer.json(refusal.body, status: refusal.status)
        }
    }

    /// An `application/x-www-form-urlencoded` body (at most 16 KiB).
    private static func form(_ request: inout Request) async throws -> [String: String] {
        let body = try await request.collectBody(upTo: 16 * 1024)
        return HTTPServer.formFields(String(buffer: body), keepingEmpty: true)
    }
}
