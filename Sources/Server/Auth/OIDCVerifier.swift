import Foundation
import Logging
import Synchronization

/// Verifies OIDC bearer JWTs: `alg` RS256 or ES256 only (so never `none`, nor HS256 keyed with a public key), the
/// key named by `kid` in the JWKS with that algorithm, the signature, then `iss`, `aud`, `exp` (required) and
/// `nbf` against the settings and the clock. The JWKS is read at start (`loadKeys`) and again when a token names
/// a `kid` the set lacks, at most once per `refetchInterval`; while a reload is under way, other tokens with
/// unknown keys are refused rather than queued.
final class OIDCVerifier: Sendable {
    let settings: OIDCSettings
    private let logger: Logger

    private struct State {
        var keys: [VerificationKey] = []
        /// When the last reload that a token caused began.
        var lastReload: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    init(settings: OIDCSettings, logger: Logger = Logger(label: "mlplayground.oidc")) {
        self.settings = settings
        self.logger = logger
    }

    /// Reads the JWKS (at start: a failure stops the server from starting).
    func loadKeys() async throws(OIDCError) {
        let data = try await JWKSKeys.read(settings.jwks, timeout: settings.fetchTimeout)
        let (keys, skipped) = try await JWKSKeys.parse(data)
        for note in skipped { logger.info("JWKS \(settings.jwks): skipped \(note)") }
        state.withLock { $0.keys = keys }
    }

    /// The principal a token stands for, or why it is refused.
    func verify(_ token: String, now: Date = Date()) async throws(OIDCError) -> Principal {
        let header = try Self.header(token)
        guard let algorithmName = header.alg, let algorithm = VerificationKey.Algorithm(rawValue: algorithmName) else {
            throw OIDCError(.unsupportedAlgorithm, "only RS256 and ES256 tokens are accepted")
        }
        let kid = header.kid
        var lookup = self.key(kid: kid, algorithm: algorithm)
        if case .absent = lookup, await reloadForUnknownKey() { lookup = self.key(kid: kid, algorithm: algorithm) }
        let key: VerificationKey
        switch lookup {
        case .found(let found): key = found
        case .absent:
            throw OIDCError(.unknownKey, kid == nil ? "no kid, and not exactly one \(algorithm.rawValue) key in the JWKS" : "no key with that kid in the JWKS")
        case .otherAlgorithm:
            throw OIDCError(.unknownKey, "the key that kid names is not an \(algorithm.rawValue) key")
        }
        let claims: TokenClaims
        do { claims = try await key.collection.verify(token, as: TokenClaims.self) } catch {
            throw OIDCError(.badSignature, "the signature does not verify with the key its kid names, or the payload is no JSON object")
        }
        return try principal(claims, now: now)
    }

    /// The claims' checks, and the principal they make (a unit of its own, so tests can give any claims and time).
    func principal(_ claims: TokenClaims, now: Date) throws(OIDCError) -> Principal {
        guard claims.string("iss") == settings.issuer else { throw OIDCError(.wrongIssuer, "iss is not the configured issuer") }
        guard claims["aud"]?.strings?.contains(settings.audience) == true else {
            throw OIDCError(.wrongAudience, "aud does not contain the configured audience")
        }
        let time = now.timeIntervalSince1970
        guard let expiry = claims.number("exp") else { throw OIDCError(.expired, "no exp claim") }
        guard time < expiry else { throw OIDCError(.expired, "expired") }
        if let notBefore = claims["nbf"] {
            guard case .number(let start) = notBefore else { throw OIDCError(.malformed, "nbf is not a number") }
            guard time >= start else { throw OIDCError(.notYetValid, "not valid yet (nbf)") }
        }
        let workspaces = settings.workspacesClaim.map { Set(claims[$0]?.strings ?? []) }
        return Principal(method: .oidc, subject: claims.string("sub"), workspaces: workspaces)
    }

    private enum Lookup {
        case found(VerificationKey)
        case absent
        /// The `kid` names a key of another algorithm (an ES256 token naming an RSA key): refused, not tried,
        /// and no reason to fetch the set again.
        case otherAlgorithm
    }

    /// The key a token names: by `kid`, or without one, the set's only key of the token's algorithm.
    private func key(kid: String?, algorithm: VerificationKey.Algorithm) -> Lookup {
        state.withLock { state in
            guard let kid else {
                let candidates = state.keys.filter { $0.algorithm == algorithm }
                return candidates.count == 1 ? .found(candidates[0]) : .absent
            }
            guard let key = state.keys.first(where: { $0.kid == kid }) else { return .absent }
            return key.algorithm == algorithm ? .found(key) : .otherAlgorithm
        }
    }

    /// Reloads the JWKS if no reload began within `refetchInterval`; whether it did. A failed reload keeps the
    /// keys held and is logged (without the token).
    private func reloadForUnknownKey() async -> Bool {
        let now = ContinuousClock.now
        let due = state.withLock { state in
            if let last = state.lastReload, now - last < settings.refetchInterval { return false }
            state.lastReload = now
            return true
        }
        guard due else { return false }
        do {
            try await loadKeys()
            return true
        } catch {
            logger.warning("JWKS \(settings.jwks): reloading for an unknown key failed: \(error)")
            return false
        }
    }

    /// What the verifier reads of a JOSE header (other fields are ignored; `alg` or `kid` not a string: malformed).
    private struct Header: Decodable {
        let alg: String?
        let kid: String?
    }

    /// The JOSE header of a compact JWS: three dot-separated base64url parts, the first a JSON object.
    private static func header(_ token: String) throws(OIDCError) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[0]), let header = try? JSONDecoder().decode(Header.self, from: Data(bytes)) else {
            throw OIDCError(.malformed, "not a compact JWS with a JSON header")
        }
        return header
    }
}
