import CryptoExtras
import Foundation
import Hummingbird
import JWTKit
@testable import Server
import Synchronization

/// An identity provider made by the test: an RSA and a P-256 key pair, their JWKS, and tokens signed (or forged)
/// with them.
struct TestIssuer: Sendable {
    static let issuer = "https://auth.example.test/realms/cern"
    static let audience = "mlplayground"
    /// Made once: a 2048-bit RSA key takes a while in a debug build.
    static let shared = TestIssuer()
    static let stranger = TestIssuer()

    let rsa: JWTKit.Insecure.RSA.PrivateKey
    let ec: ES256PrivateKey

    private init() {
        // The test's own key generation; nothing read from outside can fail it.
        rsa = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        ec = ES256PrivateKey()
    }

    enum Key: Sendable { case rsa, ec }

    func jwk(_ key: Key, kid: String, alg: Bool = true) -> [String: String] {
        switch key {
        case .rsa:
            let primitives = try! rsa.publicKey.getKeyPrimitives()
            var jwk = ["kty": "RSA", "kid": kid, "use": "sig", "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent)]
            if alg { jwk["alg"] = "RS256" }
            return jwk
        case .ec:
            let parameters = ec.parameters!
            var jwk = ["kty": "EC", "kid": kid, "use": "sig", "crv": "P-256", "x": parameters.x, "y": parameters.y]
            if alg { jwk["alg"] = "ES256" }
            return jwk
        }
    }

    static func jwks(_ keys: [[String: String]]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Claims a good token has, `changes` applied (a nil value removes the claim).
    static func claims(_ changes: [String: TokenClaims.Value?] = [:], now: Date = Date()) -> TokenClaims {
        var values: [String: TokenClaims.Value] = [
            "iss": .string(issuer), "aud": .array([.string(audience), .string("another-service")]), "sub": .string("alice"),
            "iat": .number(now.timeIntervalSince1970.rounded(.down)), "exp": .number(now.timeIntervalSince1970.rounded(.down) + 600),
            "cern_roles": .array([.string("dqm-shifter"), .string("tracker")]),
        ]
        for (name, value) in changes { values[name] = value }
        return TokenClaims(values)
    }

    /// A token signed with one of the keys, its header naming `kid`.
    func sign(_ claims: TokenClaims = TestIssuer.claims(), with key: Key, kid: String?) async throws -> String {
        let collection = JWTKeyCollection()
        let identifier = kid.map { JWKIdentifier(string: $0) }
        switch key {
        case .rsa: await collection.add(rsa: rsa, digestAlgorithm: .sha256, kid: identifier)
        case .ec: await collection.add(ecdsa: ec, kid: identifier)
        }
        return try await collection.sign(claims, kid: identifier)
    }

    /// HS256 keyed with the RSA public key's PEM: the classic confusion attack on verifiers that let the header
    /// choose the algorithm.
    func hs256WithPublicKey(kid: String) async throws -> String {
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: rsa.publicKey.pemRepresentation), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await collection.sign(Self.claims(), kid: JWKIdentifier(string: kid))
    }

    /// `alg: none`, no signature.
    static func unsigned(kid: String) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "none", "typ": "JWT", "kid": kid])
        let payload = try JSONEncoder().encode(claims())
        return Base64URL.encode(header) + "." + Base64URL.encode(payload) + "."
    }
}

/// A JWKS served over HTTP by a Hummingbird server inside the test, counting its fetches; the document can be
/// changed while it runs (key rotation).
final class JWKSHost: Sendable {
    private let state: Mutex<(document: String, fetches: Int)>

    init(_ document: String) {
        state = Mutex((document, 0))
    }

    var fetches: Int { state.withLock { $0.fetches } }

    func serve(_ document: String) {
        state.withLock { $0.document = document }
    }

    /// Runs `body` with the JWKS's URL while the server runs, then stops it.
    func whileServing<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/certs") { _, _ in
            let document = self.state.withLock { state in
                state.fetches += 1
                return state.document
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ServerError("the JWKS host did not start") }
            let result = try await body("http://127.0.0.1:\(port)/certs")
            group.cancelAll()
            return result
        }
    }
}
