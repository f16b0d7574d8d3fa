import Foundation

/// Where the catalog lives: `postgres://user:pass@host:port/db`, `postgres://user@/db?host=/socket/dir` (a server on
/// this host, through its unix socket, as libpq spells it), `sqlite:///absolute/path` or `sqlite:relative/path`.
/// Default: `sqlite:mlplayground.sqlite` in the working folder.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// `host` is a host name, or the directory of the server's socket when it starts with `/`.
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

    public static let defaultURL = "sqlite:mlplayground.sqlite"

    public init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // sqlite:///abs → /abs
            guard !path.isEmpty else { throw CatalogError("database URL \(text): no file path") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw CatalogError("database URL \(Self.redacted(text)): expected postgres://user:pass@host:port/db, sqlite:///absolute/path or sqlite:relative/path")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let parameters = components.queryItems ?? []
        func parameter(_ name: String) -> String? { parameters.last { $0.name == name }?.value }
        let socketDirectory = parameter("host")
        if let socketDirectory, !socketDirectory.hasPrefix("/") {
            throw CatalogError("database URL \(Self.redacted(text)): host= must name a socket directory (an absolute path)")
        }
        guard let host = socketDirectory ?? components.host, !host.isEmpty, !database.isEmpty else {
            throw CatalogError("database URL \(Self.redacted(text)): needs a host (or host=/socket/dir) and a database name")
        }
        var port = components.port ?? 5432
        if let portText = parameter("port") {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw CatalogError("database URL \(Self.redacted(text)): port= must be 1…65535")
            }
            port = number
        }
        self = .postgres(host: host, port: port, user: components.user ?? "postgres",
                         password: components.password?.removingPercentEncoding, database: database)
    }

    /// The server's socket file when the URL names a socket directory (libpq's `.s.PGSQL.<port>` in it).
    var socketPath: String? {
        guard case .postgres(let host, let port, _, _, _) = self, host.hasPrefix("/") else { return nil }
        return "\(host)/.s.PGSQL.\(port)"
    }

    /// The URL without its password, fit for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, _, let database):
            host.hasPrefix("/") ? "postgres://\(user)@/\(database)?host=\(host)&port=\(port)" : "postgres://\(user)@\(host):\(port)/\(database)"
        }
    }

    static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"://([^:/@]*):[^@]*@"#, with: "://$1:***@", options: .regularExpression)
    }

    /// Opens the database (and applies pending migrations).
    public func open() async throws -> any SQLDatabase {
        let database: any SQLDatabase
        switch self {
        case .sqlite(let path): database = try SQLiteDatabase(path: path)
        case .postgres(let host, let port, let user, let password, let name):
            database = try await PostgresDatabase(host: host, port: port, socketPath: socketPath, user: user, password: password, database: name)
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
