import Foundation

/// Where the catalog lives: `postgres://user:pass@host:port/db`, `postgres://user@/db?host=/socket/dir` (a server on
/// this host, through its unix socket, as libpq spells it), `sqlite:///absolute/path` or `sqlite:relative/path`.
/// PostgreSQL URLs also take libpq's `password=`, `port=`, `sslmode=`, `sslrootcert=` and `connect_timeout=`
/// (see `PostgresOptions`). Default: `sqlite:mlplayground.sqlite` in the working folder.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// `host` is a host name, or the directory of the server's socket when it starts with `/`.
    case postgres(host: String, port: Int, user: String, password: String?, database: String, options: PostgresOptions = PostgresOptions())

    public static let defaultURL = "sqlite:mlplayground.sqlite"

    public init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // sqlite:///abs → /abs
            guard !path.isEmpty else { throw CatalogError("database URL \(text): no file path") }
            self = .sqlite(path: path)
            return
        }
        self = try Self.postgres(text)
    }

    /// The server's socket file when the URL names a socket directory (libpq's `.s.PGSQL.<port>` in it).
    var socketPath: String? {
        guard case .postgres(let host, let port, _, _, _, _) = self, host.hasPrefix("/") else { return nil }
        return "\(host)/.s.PGSQL.\(port)"
    }

    /// The URL without its password, fit for logs; it reads back as the same URL but for the password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let host, let port, let user, _, let database, let options):
            let start = "postgres://\(Self.encoded(user))@"
            let name = Self.encoded(database)
            if host.hasPrefix("/") {
                let query = ["host=\(Self.encoded(host, keeping: "/"))", "port=\(port)"] + options.queryItems
                return "\(start)/\(name)?\(query.joined(separator: "&"))"
            }
            let address = host.contains(":") ? "[\(host)]" : Self.encoded(host)
            let query = options.queryItems.isEmpty ? "" : "?" + options.queryItems.joined(separator: "&")
            return "\(start)\(address):\(port)/\(name)\(query)"
        }
    }

    /// Opens the database (and applies pending migrations).
    public func open() async throws -> any SQLDatabase {
        let database: any SQLDatabase
        switch self {
        case .sqlite(let path): database = try SQLiteDatabase(path: path)
        case .postgres(let host, let port, let user, let password, let name, let options):
            database = try await PostgresDatabase(host: host, port: port, socketPath: socketPath, user: user, password: password,
                                                  database: name, options: options)
        }
        do {
            try await Migrations.apply(to: database)
        } catch {
            try? await database.close()
            throw error
        }
        return database
    }
}
