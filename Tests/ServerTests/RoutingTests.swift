import Foundation
import Testing
import TestSupport

/// What the router answers beyond GET and POST — HEAD, OPTIONS, a wrong method, an unknown path — how the API's
/// links are spelled whatever the Host header says, and the pages' answer to a malformed id.
struct RoutingTests {
    @Test func headAnswersWhereGetDoesWithItsHeadersAndNoBody() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        for path in ["/api/v1/health", "/api/v1/th1", "/api/v1/th1/by-id/999999", "/", "/files", "/files/abc", "/login",
                     "/static/app.js", "/openapi.yaml", "/docs"] {
            let get = try await server.request(path)
            let head = try await server.request(path, method: "HEAD")
            #expect(head.status == get.status, "\(path): HEAD \(head.status), GET \(get.status)")
            #expect(head.body.isEmpty, "\(path)")
            for name in ["content-type", "content-length", "content-security-policy", "cache-control"] {
                #expect(head.headers[name] == get.headers[name], "\(path): \(name)")
            }
        }
        #expect(try await server.request("/api/v1/health", method: "HEAD").status == 200, "what load balancers send")
    }

    @Test func optionsListsTheMethodsAndAWrongMethodIs405() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        func allowed(_ answer: RunningServer.Answer) -> Set<String> {
            Set((answer.headers["allow"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        for (path, methods) in [("/api/v1/health", ["GET", "HEAD", "OPTIONS"]), ("/login", ["GET", "HEAD", "POST", "OPTIONS"]),
                                ("/api/v1/file-index/1/1/ingest", ["POST", "OPTIONS"]), ("/logout", ["POST", "OPTIONS"]),
                                ("/runs/1/ls/2", ["GET", "HEAD", "OPTIONS"])] {
            let options = try await server.request(path, method: "OPTIONS")
            #expect(options.status == 204 && allowed(options) == Set(methods), "OPTIONS \(path): \(options.status) \(allowed(options))")
        }
        // Under /api the API's JSON error; elsewhere text. Both name what is allowed.
        for (method, path) in [("DELETE", "/api/v1/health"), ("POST", "/api/v1/th1"), ("PUT", "/api/v1/th1/by-id/1"), ("GET", "/api/v1/file-index/index")] {
            let answer = try await server.request(path, method: method)
            #expect(answer.status == 405, "\(method) \(path): \(answer.status)")
            #expect(!allowed(answer).isEmpty && !allowed(answer).contains(method), "\(method) \(path): Allow \(allowed(answer))")
            #expect(answer.headers["content-type"] == "application/json")
            #expect(try (answer.json()["message"] as? String)?.contains(method) == true, "\(answer.text)")
        }
        for (method, path) in [("GET", "/logout"), ("DELETE", "/files/1"), ("PUT", "/")] {
            let answer = try await server.request(path, method: method)
            #expect(answer.status == 405 && !allowed(answer).isEmpty, "\(method) \(path): \(answer.status)")
        }
        #expect(try await server.request("/logout", method: "HEAD").status == 405, "HEAD only where GET is")
        // A path no route has is still 404 (JSON under /api).
        let unknown = try await server.request("/api/v1/nothing-here")
        #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/json")
        #expect(try await server.request("/nothing-here").status == 404)
        #expect(try await server.request("/nothing-here", method: "OPTIONS").status == 404)
    }

    @Test func linksNameTheServerNeverTheHostHeader() async throws {
        let (_, url) = try await Backend.sqlite.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        func next(_ target: RunningServer, host: String) async throws -> String {
            let connection = try RawConnection(target.url)
            try connection.send("GET /api/v1/th1?page_size=1&fields=id HTTP/1.1\r\nHost: \(host)\r\nX-Forwarded-Host: \(host)\r\n\r\n")
            let answer = try #require(await connection.readResponse(within: ConnectionLimitTests.bound))
            let body = try #require(answer.range(of: "\r\n\r\n").map { answer[$0.upperBound...] })
            let page = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            return try #require(page["next"] as? String)
        }
        let own = try await next(server, host: "evil.example")
        #expect(!own.contains("evil.example"))
        #expect(own.hasPrefix("\(server.url)/api/v1/th1?"), "\(own)")
        #expect(try await server.request(own).status == 200, "the link works")

        // Behind a proxy: the configured public URL (a trailing slash is dropped).
        let proxied = try await RunningServer.serve(databaseURL: url, storage: server.storage, extraArguments: ["--public-url", "https://mlp.example.org/"])
        defer { proxied.stop() }
        let public_ = try await next(proxied, host: "evil.example")
        #expect(public_.hasPrefix("https://mlp.example.org/api/v1/th1?") && !public_.contains("evil.example"), "\(public_)")
    }

    @Test func aMalformedIdIsA400NamingItOnEveryPage() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        for (path, parameter) in [("/files/abc", "id"), ("/runs/abc", "run"), ("/runs/1/ls/abc", "ls"), ("/histograms/th1/abc", "id"),
                                  ("/files/-1", "id"), ("/runs/1/me/th1/abc", "me")] {
            let answer = try await server.request(path)
            #expect(answer.status == 400, "\(path): \(answer.status)")
            let bad = String(path.split(separator: "/").last ?? "")
            #expect(answer.text.contains("parameter \(parameter)") && answer.text.contains("&quot;\(bad)&quot;"), "\(path): \(answer.text)")
        }
        // A well-formed id that names nothing stays a 404.
        #expect(try await server.request("/files/999999").status == 404)
        #expect(try await server.request("/runs/1/me/th1/999999").status == 404)
        #expect(try await server.request("/runs/1/me/th3/1").status == 404)
    }
}
