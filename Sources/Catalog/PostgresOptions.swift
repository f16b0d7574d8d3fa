/// The libpq connection parameters we honour besides where and who: `sslmode`, `sslrootcert` and `connect_timeout`
/// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS), spelled as libpq spells them.
public struct PostgresOptions: Sendable, Equatable {
    /// libpq's `sslmode` values but `allow` (postgres-nio cannot start plain and upgrade).
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Nil: the default, `prefer` for a server elsewhere and `disable` on loopback (a local test server has no
    /// certificate and the traffic never leaves the host). Sockets never use TLS, as with libpq.
    public var sslMode: SSLMode?
    /// A PEM file of the certificate authorities to trust (nil: the system's).
    public var sslRootCert: String?
    /// Seconds allowed to connect, TLS and authentication included (nil: `defaultConnectTimeout`).
    public var connectTimeout: Int?

    public static let defaultConnectTimeout = 10

    public init(sslMode: SSLMode? = nil, sslRootCert: String? = nil, connectTimeout: Int? = nil) {
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.connectTimeout = connectTimeout
    }

    var timeoutSeconds: Int { connectTimeout ?? Self.defaultConnectTimeout }

    /// The mode used for `host` (a name, an address, or a socket directory starting with `/`).
    public func effectiveSSLMode(host: String) -> SSLMode {
        if host.hasPrefix("/") { return .disable }
        return sslMode ?? (Self.isLoopback(host) ? .disable : .prefer)
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Reads the parameters from a URL's query (`parameter` returns a decoded value). `problem` builds the error
    /// for a bad value, naming the URL.
    init(parameter: (String) -> String?, problem: (String) -> CatalogError) throws {
        if let mode = parameter("sslmode") {
            guard let known = SSLMode(rawValue: mode) else {
                throw problem("sslmode=\(mode) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = known
        }
        if let file = parameter("sslrootcert") {
            guard !file.isEmpty else { throw problem("sslrootcert= needs a file") }
            sslRootCert = file
        }
        if let seconds = parameter("connect_timeout") {
            guard let number = Int(seconds), number >= 1 else {
                throw problem("connect_timeout=\(seconds) must be a whole number of seconds, 1 or more")
            }
            connectTimeout = number
        }
    }

    /// The parameters that differ from the defaults, as URL query items.
    var queryItems: [String] {
        var items: [String] = []
        if let sslMode { items.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { items.append("sslrootcert=\(DatabaseURL.encoded(sslRootCert, keeping: "/"))") }
        if let connectTimeout { items.append("connect_timeout=\(connectTimeout)") }
        return items
    }
}
