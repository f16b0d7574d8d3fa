/// How the HTTP server is reached and who may write: `serve` and `run` take these as options.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Bearer tokens accepted for writes (and reads, with `requireTokenForReads`).
    public var tokens: [String]
    public var requireTokenForReads: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, tokens: [String] = [], requireTokenForReads: Bool = false) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.requireTokenForReads = requireTokenForReads
    }
}
