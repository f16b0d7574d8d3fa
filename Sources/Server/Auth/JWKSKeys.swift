import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore

/// One key of a JWKS that verifies tokens here: RS256 (`kty` RSA) or ES256 (`kty` EC on P-256), each in a
/// `JWTKeyCollection` of its own, as its only (default) key, so that jwt-kit cannot fall back to another key.
struct VerificationKey: Sendable {
    enum Algorithm: String, Sendable, CaseIterable {
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    let kid: String?
    let algorithm: Algorithm
    let collection: JWTKeyCollection
}

/// Reading a JWKS (RFC 7517): from a file or a URL, then the keys this server verifies with. Keys for other
/// algorithms or for encryption (`use: enc`, as Keycloak lists beside its signing keys) are skipped, not refused.
enum JWKSKeys {
    /// The largest JWKS read, file or URL.
    static let maximumSize = 1 << 20

    static func read(_ source: OIDCSettings.KeySource, timeout: Duration) async throws(OIDCError) -> Data {
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OIDCError(.jwksUnavailable, "cannot read the JWKS file \(path)")
            }
            guard data.count <= maximumSize else { throw OIDCError(.jwksUnavailable, "the JWKS file \(path) exceeds \(maximumSize) bytes") }
            return data
        case .url(let url):
            do {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(Int64(timeout / .nanoseconds(1))))
                guard response.status == .ok else { throw OIDCError(.jwksUnavailable, "GET \(url) answered \(response.status.code)") }
                return Data(try await response.body.collect(upTo: maximumSize).readableBytesView)
            } catch let error as OIDCError {
                throw error
            } catch {
                throw OIDCError(.jwksUnavailable, "GET \(url): \(error)")
            }
        }
    }

    private struct Document: Decodable {
        let keys: [Entry]
    }

    private struct Entry: Decodable {
        let kty: String?
        let kid: String?
        let alg: String?
        let use: String?
        let crv: String?
        let n: String?
        let e: String?
        let x: String?
        let y: String?
    }

    /// The usable keys of a JWKS, and a note for each key skipped. Throws when the document is no JWKS or holds no
    /// usable key.
    static func parse(_ data: Data) async throws(OIDCError) -> (keys: [VerificationKey], skipped: [String]) {
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw OIDCError(.jwksUnavailable, "not a JWKS (a JSON object with a \"keys\" list): \(error)")
        }
        var keys: [VerificationKey] = []
        var skipped: [String] = []
        for (index, entry) in document.keys.enumerated() {
            let name = entry.kid.map { "key \"\($0)\"" } ?? "key #\(index)"
            do {
                if let key = try await key(entry) { keys.append(key) } else {
                    skipped.append("\(name): \(entry.kty ?? "no kty")/\(entry.alg ?? entry.crv ?? "-")\(entry.use.map { ", use \($0)" } ?? "") is not an RS256 or ES256 signing key")
                }
            } catch {
                skipped.append("\(name): \(error)")
            }
        }
        guard !keys.isEmpty else {
            throw OIDCError(.jwksUnavailable, "the JWKS holds no RS256 or ES256 signing key" + (skipped.isEmpty ? "" : " (\(skipped.joined(separator: "; ")))"))
        }
        return (keys, skipped)
    }

    /// The key an entry describes, nil when it is not one this server verifies with.
    private static func key(_ entry: Entry) async throws -> VerificationKey? {
        if let use = entry.use, use != "sig" { return nil }
        let collection = JWTKeyCollection()
        switch (entry.kty, entry.alg) {
        case ("RSA", nil), ("RSA", "RS256"?):
            guard let n = entry.n, let e = entry.e else { throw OIDCError(.jwksUnavailable, "an RSA key needs n and e") }
            await collection.add(rsa: try Insecure.RSA.PublicKey(modulus: n, exponent: e), digestAlgorithm: .sha256)
            return VerificationKey(kid: entry.kid, algorithm: .rs256, collection: collection)
        case ("EC", nil), ("EC", "ES256"?):
            guard entry.crv == "P-256" else { return nil }
            guard let x = entry.x, let y = entry.y else { throw OIDCError(.jwksUnavailable, "an EC key needs x and y") }
            await collection.add(ecdsa: try ES256PublicKey(parameters: (x: x, y: y)))
            return VerificationKey(kid: entry.kid, algorithm: .es256, collection: collection)
        default:
            return nil
        }
    }
}
