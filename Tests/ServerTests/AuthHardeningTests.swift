import Foundation
@testable import Server
import Testing
import TestSupport

/// Guessing tokens is throttled per address; pages tell browsers to confine them; the session cookie is `Secure`
/// behind https and signing out ends the session on the server.
struct AuthHardeningTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    @Test func failedAuthenticationsFromAnAddressAreThrottled() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        let bearer = ["Authorization": "Bearer \(RunningServer.token)"]
        // Successes are no failures: however many, they do not bring the limit closer.
        for _ in 0..<15 {
            #expect(try await server.request("/api/v1/file-index/index", method: "POST", headers: bearer).status == 200)
        }
        // Ten failures a minute, bearer tokens and the sign-in form alike, are answered as such…
        for attempt in 0..<10 {
            let answer = attempt % 2 == 0
                ? try await server.request("/api/v1/file-index/index", method: "POST", headers: ["Authorization": "Bearer guess-\(attempt)"])
                : try await server.request("/login", method: "POST", headers: Self.form, body: "token=guess-\(attempt)")
            #expect(answer.status == 401, "attempt \(attempt): \(answer.status)")
        }
        // …then every attempt with a credential waits, the right one too (else guessing would go on unslowed).
        let refused = try await server.request("/api/v1/th1", headers: ["Authorization": "Bearer guess-11"])
        #expect(refused.status == 429)
        let wait = try #require(refused.headers["retry-after"].flatMap(Int.init))
        #expect((1...60).contains(wait), "Retry-After \(wait)")
        #expect(try refused.json()["message"] is String, "JSON under /api")
        let signIn = try await server.request("/login", method: "POST", headers: Self.form, body: "token=\(RunningServer.token)")
        #expect(signIn.status == 429 && signIn.headers["retry-after"] != nil)
        #expect(try await server.request("/api/v1/file-index/index", method: "POST", headers: bearer).status == 429)
        // Requests without a credential are not attempts: public reads and pages still answer.
        #expect(try await server.request("/api/v1/health").status == 200)
        #expect(try await server.request("/login").status == 200)
    }

    /// The window slides: an address may try again once its oldest failure is a window old. Time is stepped, not
    /// waited for.
    @Test func theThrottleForgetsFailuresOlderThanItsWindow() {
        let failures = FailedAuthentications(limit: AuthFailureLimit(attempts: 3, window: .seconds(60)), capacity: 2)
        let start = ContinuousClock.now
        for second in 0..<3 { failures.recordFailure("10.0.0.1", at: start + .seconds(second)) }
        #expect(failures.retryAfter("10.0.0.1", at: start + .seconds(10)) == .seconds(50))
        #expect(failures.retryAfter("10.0.0.2", at: start + .seconds(10)) == nil, "per address")
        #expect(failures.retryAfter("10.0.0.1", at: start + .seconds(60)) == nil, "the oldest failure has left the window")
        for _ in 0..<2 { failures.recordFailure("10.0.0.1", at: start + .seconds(61)) }
        #expect(failures.retryAfter("10.0.0.1", at: start + .seconds(61)) == .seconds(1), "three in the last minute again")
        // A full table forgets its stalest address rather than grow.
        failures.recordFailure("10.0.0.2", at: start + .seconds(62))
        failures.recordFailure("10.0.0.3", at: start + .seconds(63))
        for _ in 0..<2 { failures.recordFailure("10.0.0.3", at: start + .seconds(63)) }
        #expect(failures.retryAfter("10.0.0.3", at: start + .seconds(63)) != nil)
        #expect(failures.retryAfter("10.0.0.1", at: start + .seconds(63)) == nil, "forgotten when the table was full")
    }

    @Test func pagesCarrySecurityHeadersAndNoInlineScript() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        let signIn = try await server.request("/login", method: "POST", headers: Self.form, body: "token=\(RunningServer.token)")
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(!(signIn.headers["set-cookie"] ?? "").lowercased().contains("secure"), "plain http: no Secure")
        for (path, headers) in [("/", [:]), ("/", ["Cookie": cookie]), ("/files", [:]), ("/runs", [:]), ("/login", [:]),
                                ("/docs", [:]), ("/files/abc", [:]), ("/api/v1/health", [:])] {
            let page = try await server.request(path, headers: headers)
            let policy = page.headers["content-security-policy"] ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"),
                    "\(path): \(policy)")
            #expect(page.headers["x-content-type-options"] == "nosniff", "\(path)")
            #expect(page.headers["x-frame-options"] == "DENY", "\(path)")
            #expect(page.headers["referrer-policy"] == "strict-origin-when-cross-origin", "\(path)")
            // What the policy would block: inline scripts, event-handler attributes, style attributes.
            let html = page.text
            #expect(html.firstMatch(of: /<script(?![^>]*\ssrc=)/) == nil, "\(path): an inline script")
            #expect(html.firstMatch(of: /\son[a-z]+\s*=/) == nil, "\(path): an on…= handler")
            #expect(html.firstMatch(of: /\sstyle\s*=/) == nil, "\(path): a style attribute")
        }
    }

    @Test func signingOutEndsTheSessionOnTheServer() async throws {
        let server = try await ConnectionLimitTests.serve([])
        defer { server.stop() }
        let signIn = try await server.request("/login", method: "POST", headers: Self.form, body: "token=\(RunningServer.token)")
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let overview = try await server.request("/", headers: ["Cookie": cookie]).text
        let csrf = try #require(overview.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
        // Without the page's CSRF token nothing changes, the cookie included: no "signed out" beside a live session.
        let forged = try await server.request("/logout", method: "POST", headers: Self.form.merging(["Cookie": cookie]) { a, _ in a }, body: "csrf=forged")
        #expect(forged.status == 403 && forged.headers["set-cookie"] == nil)
        #expect(try await server.request("/", headers: ["Cookie": cookie]).text.contains("data-csrf="), "still signed in")

        let signOut = try await server.request("/logout", method: "POST", headers: Self.form.merging(["Cookie": cookie]) { a, _ in a },
                                               body: "csrf=\(csrf)")
        #expect(signOut.status == 303 && signOut.headers["set-cookie"]?.hasPrefix("mlp_session=;") == true)
        // A copy of the old cookie signs nobody in any more.
        #expect(!(try await server.request("/", headers: ["Cookie": cookie]).text.contains("data-csrf=")))
        #expect(try await server.request("/ui/index", method: "POST", headers: ["Cookie": cookie, "X-CSRF-Token": String(csrf)]).status == 401)
    }

    @Test func behindHTTPSTheSessionCookieIsSecure() async throws {
        let server = try await ConnectionLimitTests.serve(["--public-url", "https://mlp.example.org"])
        defer { server.stop() }
        let signIn = try await server.request("/login", method: "POST", headers: Self.form, body: "token=\(RunningServer.token)")
        let attributes = (signIn.headers["set-cookie"] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        #expect(attributes.contains("secure") && attributes.contains("httponly") && attributes.contains("samesite=strict"), "\(attributes)")
    }
}
