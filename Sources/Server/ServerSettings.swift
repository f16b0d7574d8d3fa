/// How the HTTP server is reached and who may write: `serve` and `run` take these as options.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Bearer tokens accepted for writes (and reads, with `requireTokenForReads`).
    public var tokens: [String]
    public var requireTokenForReads: Bool
    /// OIDC bearer JWTs, accepted like a token; nil: static tokens only.
    public var oidc: OIDCSettings?
    /// Where clients reach the server (`https://mlp.example.org`, no trailing slash), for the API's absolute links
    /// and the cookie's `Secure`; nil: links name the server's own socket address.
    public var publicURL: PublicURL?
    /// How long connections may hold the server's resources, and how many may.
    public var limits: ConnectionLimits
    /// Failed authentications per client address before it is refused for a while.
    public var authFailures: AuthFailureLimit

    public init(host: String = "127.0.0.1", port: Int = 8080, tokens: [String] = [], requireTokenForReads: Bool = false,
                publicURL: PublicURL? = nil, limits: ConnectionLimits = .init(), authFailures: AuthFailureLimit = .init(),
                oidc: OIDCSettings? = nil) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.requireTokenForReads = requireTokenForReads
        self.publicURL = publicURL
        self.limits = limits
        self.authFailures = authFailures
        self.oidc = oidc
    }
}

/// Bounds on what one connection may take: a client that opens connections and sends nothing (or a request head a
/// byte at a time) would otherwise hold a file descriptor for ever.
public struct ConnectionLimits: Sendable {
    /// A connection with no request in progress is closed after this long.
    public var idleTimeout: Duration
    /// A request's head must be complete this long after its first byte (the first request's, after the
    /// connection opened).
    public var headerTimeout: Duration
    /// A request's body must be complete this long after its head.
    public var bodyTimeout: Duration
    /// Connections open at once; beyond it, new ones wait in the listen backlog until one closes.
    public var maxConnections: Int

    public init(idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
                maxConnections: Int = 1000) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }
}

/// After `attempts` failed authentications from one address within `window`, further attempts from it answer 429
/// until the oldest of them is `window` old.
public struct AuthFailureLimit: Sendable {
    public var attempts: Int
    public var window: Duration

    public init(attempts: Int = 10, window: Duration = .seconds(60)) {
        self.attempts = attempts
        self.window = window
    }
}
