/// Who made an API request, as `APIAuthMiddleware` decided it: how the caller authenticated, who they are, and
/// which workspaces they may read. Handlers read it from `ServerContext.principal`.
struct Principal: Sendable, Equatable {
    enum Method: String, Sendable {
        /// No credential, or one the route did not need and that did not verify.
        case anonymous
        /// A static bearer token (`--token`).
        case token
        /// An OIDC bearer JWT verified against the JWKS (`--oidc-jwks`).
        case oidc
        /// The web UI's session cookie (reads only).
        case session
    }

    let method: Method
    /// The JWT's `sub`; nil for the other methods (static tokens and sessions name nobody).
    let subject: String?
    /// The workspaces the caller may read; nil: unrestricted. A JWT has a set when `--oidc-workspaces-claim` is
    /// given (empty when the token lacks the claim).
    let workspaces: Set<String>?

    static let anonymous = Principal(method: .anonymous, subject: nil, workspaces: nil)
    static let token = Principal(method: .token, subject: nil, workspaces: nil)
    static let session = Principal(method: .session, subject: nil, workspaces: nil)

    /// Whether the caller authenticated at all.
    var isAuthenticated: Bool { method != .anonymous }
}
