/// What the catalog needs of a database: statements with `?` placeholders, transactions, and a bulk load.
/// `SQLiteDatabase` and `PostgresDatabase` implement it; everything above is written once.
public protocol SQLConnection: Sendable {
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Appends `rows` to `table` as fast as the database allows: PostgreSQL's COPY, SQLite's prepared inserts.
    /// `columns` names every column, the open one last; `last` holds its value for each row.
    func bulkInsert(table: String, columns: [String], rows: BulkRows, last: [Int64]) async throws
}

public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. With `exclusive`,
    /// the transaction takes the write lock at once (SQLite `BEGIN IMMEDIATE`; PostgreSQL needs no more).
    func transaction<T: Sendable>(exclusive: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// One statement in its own transaction.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// The rows of `SELECT <columns> <rest>`, as `query` returns them; PostgreSQL sends them packed into one row
    /// (see `PackedColumn`). For pages: their rows are many, their columns few.
    func select(_ columns: [String], _ rest: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Calls `notified` with the payload of every notification on `channel` until cancelled (PostgreSQL
    /// LISTEN/NOTIFY, on a connection of its own). Returns false at once where the database has no notifications
    /// (SQLite), so callers poll instead.
    func listen(channel: String, notified: @escaping @Sendable (String) -> Void) async throws -> Bool
    func close() async throws
}

extension SQLDatabase {
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await transaction(exclusive: false, body)
    }
}

/// A database error, with the statement that failed. (Driver errors are wrapped so that messages stay one line
/// and never include bound values.)
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for callers that act on it (`serve` waits for an unreachable server); opaque so that
    /// kinds can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        public static let other = Code(name: "other")
        /// The server could not be reached, did not complete the connection in time, or is not ready yet (not:
        /// it refused the login or has no such database).
        public static let unreachable = Code(name: "unreachable")
    }

    public let code: Code
    public let message: String
    public init(_ message: String, code: Code = .other) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
