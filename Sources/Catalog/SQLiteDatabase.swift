import Foundation
import GRDB

/// The embedded default: one SQLite file in WAL mode. Writes and transactions go through the one writer
/// connection, guarded so that transactions never interleave; reads outside a transaction use the pool's reader
/// connections and never wait for a writer (the web UI stays live during an ETL). Writers from several processes
/// wait for each other (busy timeout) — the single-host equivalent of the PostgreSQL setup.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let pool: DatabasePool
    private let lock = AsyncLock()
    let cachedTexts = CachedStatementTexts()

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.journalMode = .wal
        configuration.allowsUnsafeTransactions = true  // transactions span several accesses, under `lock`
        do {
            configuration.prepareDatabase { try $0.execute(sql: "PRAGMA foreign_keys = ON") }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw CatalogError("cannot open SQLite database \(path): \(error)")
        }
    }

    public func transaction<T: Sendable>(exclusive: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let connection = SQLiteConnection(pool: pool, cachedTexts: cachedTexts)
        return try await lock.withLock {
            try connection.run(exclusive ? "BEGIN IMMEDIATE" : "BEGIN")
            do {
                let value = try await body(connection)
                try connection.run("COMMIT")
                return value
            } catch {
                try? connection.run("ROLLBACK")
                throw error
            }
        }
    }

    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        let connection = SQLiteConnection(pool: pool, cachedTexts: cachedTexts)
        return try await lock.withLock { try connection.executeNow(sql, binds) }
    }

    /// A read (SELECT) on a reader connection: it sees the last committed state. Statements that write
    /// (`… RETURNING`) go to the writer.
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let connection = SQLiteConnection(pool: pool, cachedTexts: cachedTexts)
        if sql.split(maxSplits: 1, whereSeparator: \.isWhitespace).first?.uppercased() == "SELECT" {
            return try connection.readNow(sql, binds)
        }
        return try await lock.withLock { try connection.queryNow(sql, binds) }
    }

    public func select(_ columns: [String], _ rest: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await query("SELECT \(columns.joined(separator: ", ")) \(rest)", binds)
    }

    /// One host, one process at a time writing: workers poll.
    public func listen(channel: String, notified: @escaping @Sendable (String) -> Void) async throws -> Bool { false }

    public func close() async throws {
        try pool.close()
    }
}

/// Statements on the SQLite writer connection (only used while `SQLiteDatabase`'s lock is held), and reads on a
/// reader connection.
struct SQLiteConnection: SQLConnection {
    let pool: DatabasePool
    let cachedTexts: CachedStatementTexts

    func run(_ sql: String) throws {
        try wrap(sql) { try pool.writeWithoutTransaction { try $0.execute(sql: sql) } }
    }

    func executeNow(_ sql: String, _ binds: [SQLValue]) throws -> Int {
        try wrap(sql) {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: sql, arguments: StatementArguments(binds.map(\.databaseValue)))
                return db.changesCount
            }
        }
    }

    func queryNow(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try wrap(sql) { try pool.writeWithoutTransaction { try fetch(sql, binds, in: $0) } }
    }

    /// One statement, which SQLite runs on one snapshot by itself: GRDB's `read` would add a BEGIN and a COMMIT.
    func readNow(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try wrap(sql) { try pool.unsafeRead { try fetch(sql, binds, in: $0) } }
    }

    /// Cached statements: the API repeats the same few, and compiling one costs more than running it. Up to a
    /// bound (`CachedStatementTexts`).
    private func fetch(_ sql: String, _ binds: [SQLValue], in db: Database) throws -> [SQLRow] {
        let statement = cachedTexts.admits(sql) ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        return try Row.fetchAll(statement, arguments: StatementArguments(binds.map(\.databaseValue)))
            .map { row in row.databaseValues.map(SQLValue.init) }
    }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int { try executeNow(sql, binds) }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try queryNow(sql, binds) }

    func bulkInsert(table: String, columns: [String], rows: BulkRows, last: [Int64]) async throws {
        try rows.check(last: last, table: table, dialect: .sqlite)
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        try wrap(sql) {
            try pool.writeWithoutTransaction { db in
                let statement = try db.cachedStatement(sql: sql)
                for (row, value) in zip(rows.values, last) {
                    try statement.execute(arguments: StatementArguments(row.map(\.databaseValue) + [value.databaseValue]))
                }
            }
        }
    }

    private func wrap<T>(_ sql: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw CatalogError("SQLite: \(error.message ?? "\(error.resultCode)") in: \(sql.prefix(120))")
        }
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let value): value.databaseValue
        // SQLite has no NaN: bound as a number it becomes NULL (and fails NOT NULL). Kept as the text "NaN", which
        // `SQLValue.double` reads back as NaN, as PostgreSQL gives it.
        case .double(let value): value.isNaN ? "NaN".databaseValue : value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): Data(value).databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }
}
