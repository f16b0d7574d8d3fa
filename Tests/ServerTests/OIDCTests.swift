import Foundation
@testable import Server
import Testing
import TestSupport

/// OIDC bearer JWTs against `mlplayground serve`: RS256 and ES256 tokens of the configured issuer and audience
/// write and read like a static token; every forgery, stale or misdirected token is a 401 that says nothing of
/// the token; the JWKS comes from a file or a URL, refetched for an unknown key at most once a minute. The
/// workspaces claim is read by the verifier into the principal.
struct OIDCTests {
    static let write = ("POST", "/api/v1/file-index/index")
    static let read = ("GET", "/api/v1/th1")

    static func oidcArguments(_ jwks: String, _ extra: [String] = []) -> [String] {
        ["--oidc-jwks", jwks, "--oidc-issuer", TestIssuer.issuer, "--oidc-audience", TestIssuer.audience] + extra
    }

    static func jwksFile(_ document: String) throws -> URL {
        let file = try TemporaryFolder().url.appendingPathComponent("jwks.json")
        try Data(document.utf8).write(to: file)
        return file
    }

    static func call(_ server: RunningServer, _ route: (String, String), token: String?) async throws -> RunningServer.Answer {
        try await server.request(route.1, method: route.0, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    /// Every way a token is refused, with the name the failure is reported under.
    static func refusals() async throws -> [(String, String)] {
        let issuer = TestIssuer.shared
        let now = Date().timeIntervalSince1970.rounded(.down)
        let good = try await issuer.sign(with: .rsa, kid: "rsa-1")
        let parts = good.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(try JSONEncoder().encode(TestIssuer.claims(["sub": .string("mallory")])))
        return [
            ("expired", try await issuer.sign(TestIssuer.claims(["exp": .number(now - 60)]), with: .rsa, kid: "rsa-1")),
            ("without exp", try await issuer.sign(TestIssuer.claims(["exp": nil]), with: .ec, kid: "ec-1")),
            ("not yet valid", try await issuer.sign(TestIssuer.claims(["nbf": .number(now + 600)]), with: .ec, kid: "ec-1")),
            ("wrong issuer", try await issuer.sign(TestIssuer.claims(["iss": .string("https://evil.example/realms/cern")]), with: .rsa, kid: "rsa-1")),
            ("wrong audience", try await issuer.sign(TestIssuer.claims(["aud": .string("another-service")]), with: .rsa, kid: "rsa-1")),
            ("no audience", try await issuer.sign(TestIssuer.claims(["aud": nil]), with: .rsa, kid: "rsa-1")),
            ("unknown kid", try await TestIssuer.stranger.sign(with: .rsa, kid: "rsa-9")),
            ("another key under a known kid", try await TestIssuer.stranger.sign(with: .rsa, kid: "rsa-1")),
            ("ES256 naming the RSA key", try await issuer.sign(with: .ec, kid: "rsa-1")),
            ("alg none", try TestIssuer.unsigned(kid: "rsa-1")),
            ("HS256 keyed with the public key", try await issuer.hs256WithPublicKey(kid: "rsa-1")),
            ("payload swapped under a good signature", parts[0] + "." + otherPayload + "." + parts[2]),
            ("signature cut", parts[0] + "." + parts[1] + "."),
            ("not a JWT", "not-a-jwt"),
            ("three dots of nothing", "a.b.c"),
            ("garbage header", "%%%." + parts[1] + "." + parts[2]),
        ]
    }

    @Test func goodTokensWriteAndReadAndEveryBadOneIsA401() async throws {
        let issuer = TestIssuer.shared
        let jwks = try Self.jwksFile(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1"), issuer.jwk(.ec, kid: "ec-1", alg: false),
                                                      ["kty": "RSA", "kid": "enc-1", "use": "enc", "alg": "RSA-OAEP", "n": "AQAB", "e": "AQAB"]]))
        let server = try await ConnectionLimitTests.serve(Self.oidcArguments(jwks.path, ["--require-token-for-reads", "--auth-failures", "1000"]))
        defer { server.stop() }
        let good = [try await issuer.sign(with: .rsa, kid: "rsa-1"), try await issuer.sign(with: .ec, kid: "ec-1")]
        for (index, token) in good.enumerated() {
            #expect(try await Self.call(server, Self.write, token: token).status == 200, "token \(index) writes")
            #expect(try await Self.call(server, Self.read, token: token).status == 200, "token \(index) reads")
        }
        #expect(try await Self.call(server, Self.read, token: nil).status == 401, "reads need a caller")
        #expect(try await Self.call(server, Self.write, token: RunningServer.token).status == 200, "static tokens still work")

        let refusals = try await Self.refusals()
        for (name, token) in refusals {
            for route in [Self.write, Self.read] {
                let answer = try await Self.call(server, route, token: token)
                #expect(answer.status == 401, "\(name), \(route.0): \(answer.status)")
                #expect(try answer.json()["message"] as? String == APIError.unauthorized.message, "\(name): the usual 401 body")
                for part in token.split(separator: ".") where part.count > 3 {
                    #expect(!answer.text.contains(part), "\(name): the answer quotes the token")
                }
            }
        }
        let output = server.stop()
        for token in good + refusals.map(\.1) {
            for part in token.split(separator: ".") where part.count > 8 {
                #expect(!output.contains(part), "the server printed a token")
            }
        }
    }

    /// A refused JWT is a failed authentication for the throttle, where the route needed one; on a public read it
    /// is ignored, as a wrong static token is.
    @Test func refusedTokensCountTowardsTheThrottle() async throws {
        let issuer = TestIssuer.shared
        let jwks = try Self.jwksFile(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1")]))
        let server = try await ConnectionLimitTests.serve(Self.oidcArguments(jwks.path, ["--auth-failures", "2"]))
        defer { server.stop() }
        let expired = try await issuer.sign(TestIssuer.claims(["exp": .number(Date().timeIntervalSince1970 - 1)]), with: .rsa, kid: "rsa-1")
        #expect(try await Self.call(server, Self.read, token: expired).status == 200, "a public read goes on anonymously")
        #expect(try await Self.call(server, Self.write, token: expired).status == 401)
        #expect(try await Self.call(server, Self.write, token: expired).status == 401)
        let good = try await issuer.sign(with: .rsa, kid: "rsa-1")
        #expect(try await Self.call(server, Self.write, token: good).status == 429, "two failures: the address waits")
    }

    /// From a URL: fetched at start; a token naming a key the set lacks makes the server fetch it again (key
    /// rotation), but not twice within a minute, however many unknown keys tokens name.
    @Test func theJWKSComesFromAURLAndIsRefetchedForAnUnknownKeyAtMostOnceAMinute() async throws {
        let issuer = TestIssuer.shared
        let host = JWKSHost(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1")]))
        try await host.whileServing { url in
            let server = try await ConnectionLimitTests.serve(Self.oidcArguments(url, ["--auth-failures", "1000"]))
            defer { server.stop() }
            #expect(host.fetches == 1, "fetched at start")
            #expect(try await Self.call(server, Self.write, token: try await issuer.sign(with: .rsa, kid: "rsa-1")).status == 200)
            #expect(host.fetches == 1, "a known key needs no fetch")

            host.serve(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1"), issuer.jwk(.ec, kid: "ec-2")]))
            #expect(try await Self.call(server, Self.write, token: try await issuer.sign(with: .ec, kid: "ec-2")).status == 200,
                    "the rotated key is fetched")
            #expect(host.fetches == 2)

            host.serve(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1"), issuer.jwk(.ec, kid: "ec-2"), issuer.jwk(.ec, kid: "ec-3")]))
            for _ in 0..<3 {
                #expect(try await Self.call(server, Self.write, token: try await issuer.sign(with: .ec, kid: "ec-3")).status == 401,
                        "within a minute of the last fetch, an unknown key is refused")
            }
            #expect(host.fetches == 2, "no fetch within a minute of the last")
            #expect(try await Self.call(server, Self.write, token: try await issuer.sign(with: .ec, kid: "ec-2")).status == 200)
        }
    }

    @Test func theServerDoesNotStartWithoutUsableOIDCSettings() async throws {
        let (_, database) = try await Backend.sqlite.makeDatabase()
        let empty = try Self.jwksFile(TestIssuer.jwks([["kty": "oct", "kid": "h", "k": "c2VjcmV0"]]))
        let cases: [([String], String)] = [
            (["--oidc-jwks", empty.path, "--oidc-audience", "a"], "--oidc-issuer"),
            (["--oidc-jwks", empty.path, "--oidc-issuer", "i"], "--oidc-audience"),
            (["--oidc-issuer", "i", "--oidc-audience", "a"], "--oidc-jwks"),
            (Self.oidcArguments("/nonexistent/jwks.json"), "cannot read the JWKS file"),
            (Self.oidcArguments(empty.path), "no RS256 or ES256 signing key"),
        ]
        for (arguments, complaint) in cases {
            let outcome = try await Binary.run(["serve", "--port", "0", "--database", database] + arguments, stoppedAfter: 60)
            #expect(outcome.status != 0 && outcome.stderr.contains(complaint), "\(arguments): \(outcome.status) \(outcome.stderr)")
        }
    }

    @Test func theOpenAPIDocumentDescribesBearerTokensAndJWTs() {
        let plain = OpenAPIDocument.bearerScheme(ServerSettings())
        let oidc = OpenAPIDocument.bearerScheme(ServerSettings(oidc: OIDCSettings(jwks: .init("https://sso.example/certs"),
                                                                                  issuer: TestIssuer.issuer, audience: TestIssuer.audience)))
        for scheme in [plain, oidc] {
            #expect(scheme.serialized().contains(#""type":"http""#) && scheme.serialized().contains(#""scheme":"bearer""#))
        }
        #expect(!plain.serialized().contains("JWT"))
        #expect(oidc.serialized().contains("JWT") && oidc.serialized().contains(TestIssuer.issuer) && oidc.serialized().contains("RS256 or ES256"))
    }

    // MARK: The verifier alone

    static func verifier(workspacesClaim: String?) async throws -> OIDCVerifier {
        let issuer = TestIssuer.shared
        let jwks = try Self.jwksFile(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1"), issuer.jwk(.ec, kid: "ec-1")]))
        let verifier = OIDCVerifier(settings: OIDCSettings(jwks: .init(jwks.path), issuer: TestIssuer.issuer, audience: TestIssuer.audience,
                                                           workspacesClaim: workspacesClaim))
        try await verifier.loadKeys()
        return verifier
    }

    @Test func theWorkspacesClaimBecomesThePrincipalsWorkspaces() async throws {
        let issuer = TestIssuer.shared
        let verifier = try await Self.verifier(workspacesClaim: "cern_roles")
        let principal = try await verifier.verify(try await issuer.sign(with: .rsa, kid: "rsa-1"))
        #expect(principal == Principal(method: .oidc, subject: "alice", workspaces: ["dqm-shifter", "tracker"]))
        let one = try await verifier.verify(try await issuer.sign(TestIssuer.claims(["cern_roles": .string("csc")]), with: .ec, kid: "ec-1"))
        #expect(one.workspaces == ["csc"], "one string is one workspace")
        let none = try await verifier.verify(try await issuer.sign(TestIssuer.claims(["cern_roles": nil]), with: .ec, kid: "ec-1"))
        #expect(none.workspaces == [], "no claim: no workspace")
        let mixed = try await verifier.verify(try await issuer.sign(TestIssuer.claims(["cern_roles": .array([.string("ecal"), .number(3)])]),
                                                                    with: .rsa, kid: "rsa-1"))
        #expect(mixed.workspaces == ["ecal"], "only strings name workspaces")

        let unrestricted = try await Self.verifier(workspacesClaim: nil)
        #expect(try await unrestricted.verify(try await issuer.sign(with: .rsa, kid: "rsa-1")).workspaces == nil)
    }

    @Test func eachRefusalHasItsCode() async throws {
        let verifier = try await Self.verifier(workspacesClaim: nil)
        let expected: [String: OIDCError.Code] = [
            "expired": .expired, "without exp": .expired, "not yet valid": .notYetValid, "wrong issuer": .wrongIssuer,
            "wrong audience": .wrongAudience, "no audience": .wrongAudience, "unknown kid": .unknownKey,
            "another key under a known kid": .badSignature, "ES256 naming the RSA key": .unknownKey, "alg none": .unsupportedAlgorithm,
            "HS256 keyed with the public key": .unsupportedAlgorithm, "payload swapped under a good signature": .badSignature,
            "signature cut": .badSignature, "not a JWT": .malformed, "three dots of nothing": .malformed, "garbage header": .malformed,
        ]
        for (name, token) in try await Self.refusals() {
            do {
                let principal = try await verifier.verify(token)
                Issue.record("\(name): accepted as \(principal)")
            } catch {
                #expect(error.code == expected[name], "\(name): \(error)")
                #expect(!error.description.contains("alice") && !error.description.contains("evil.example"), "\(name): the reason quotes the token")
            }
        }
    }

    /// `exp` and `nbf` against a clock the test sets: valid from `nbf` on, up to but not at `exp`.
    @Test func expiryAndStartAreExactInstants() async throws {
        let verifier = try await Self.verifier(workspacesClaim: nil)
        let claims = TestIssuer.claims(["nbf": .number(1_000), "exp": .number(2_000)])
        for (time, code) in [(999.5, OIDCError.Code.notYetValid), (2_000, .expired), (2_000.5, .expired)] {
            #expect(throws: OIDCError.self, "at \(time)") { try verifier.principal(claims, now: Date(timeIntervalSince1970: time)) }
            do { _ = try verifier.principal(claims, now: Date(timeIntervalSince1970: time)) } catch { #expect(error.code == code, "at \(time)") }
        }
        for time in [1_000, 1_999.5] {
            #expect(try verifier.principal(claims, now: Date(timeIntervalSince1970: time)).subject == "alice", "at \(time)")
        }
    }
}
