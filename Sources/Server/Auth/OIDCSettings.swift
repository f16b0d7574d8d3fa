/// OIDC bearer tokens: JWTs signed (RS256 or ES256) by `issuer` with a key of the JWKS at `jwks`, for `audience`.
public struct OIDCSettings: Sendable {
    /// Where the JWKS is read from: a file, or an `http(s)://` URL fetched at start and again (at most once a
    /// minute) when a token names a key it does not hold.
    public enum KeySource: Sendable, Equatable, CustomStringConvertible {
        case file(String)
        case url(String)

        /// `http://…` or `https://…` is a URL; anything else, a file path.
        public init(_ text: String) {
            let lowered = text.lowercased()
            self = lowered.hasPrefix("https://") || lowered.hasPrefix("http://") ? .url(text) : .file(text)
        }

        public var description: String {
            switch self {
            case .file(let path): path
            case .url(let url): url
            }
        }
    }

    public var jwks: KeySource
    /// The `iss` every token must carry, exactly.
    public var issuer: String
    /// A value the token's `aud` (a string or a list) must contain.
    public var audience: String
    /// The claim (a list of strings, or one string) naming the workspaces a token may read; nil: tokens are
    /// unrestricted.
    public var workspacesClaim: String?
    /// How long one JWKS fetch from a URL may take.
    public var fetchTimeout: Duration
    /// The least time between two reloads of the JWKS that a token with an unknown `kid` causes.
    public var refetchInterval: Duration

    public init(jwks: KeySource, issuer: String, audience: String, workspacesClaim: String? = nil,
                fetchTimeout: Duration = .seconds(10), refetchInterval: Duration = .seconds(60)) {
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience
        self.workspacesClaim = workspacesClaim
        self.fetchTimeout = fetchTimeout
        self.refetchInterval = refetchInterval
    }
}
