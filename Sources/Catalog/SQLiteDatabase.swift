import Foundation
import GRDB

/// The embedded default: one SQLite file (WAL, so other processes can read while one writes), one connection per
/// process, guarded so that transactions never interleave. Writers from several processes wait for each other
/// (busy timeout) — the single-host equivalent of the PostgreSQL setup.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let queue: DatabaseQueue
    private let lock = AsyncLock()

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.journalMode = .wal
        configuration.allowsUnsafeTransactions = true  // transactions span several accesses, under `lock`
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { try $0.execute(sql: "PRAGMA foreign_keys = ON") }
        } catch {
            throw CatalogError("cannot open SQLite database \(path): \(error)")
        }
    }

    public func transaction<T: Sendable>(exclusive: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let connection = SQLiteConnection(queue: queue)
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
        let connection = SQLiteConnection(queue: queue)
        return try await lock.withLock { try connection.executeNow(sql, binds) }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let connection = SQLiteConnection(queue: queue)
        return try await lock.withLock { try connection.queryNow(sql, binds) }
    }

    public func close() async throws {
        try queue.close()
    }
}

/// Statements on the SQLite connection; only used while `SQLiteDatabase`'s lock is held.
struct SQLiteConnection: SQLConnection {
    let queue: DatabaseQueue

    func run(_ sql: String) throws {
        try wrap(sql) { try queue.inDatabase { try $0.execute(sql: sql) } }
    }

    func executeNow(_ sql: String, _ binds: [SQLValue]) throws -> Int {
        try wrap(sql) {
            try queue.inDatabase { db in
                try db.execute(sql: sql, arguments: StatementArguments(binds.map(\.databaseValue)))
                return db.changesCount
            }
        }
    }

    func queryNow(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try wrap(sql) {
            try queue.inDatabase { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(binds.map(\.databaseValue)))
                    .map { row in row.databaseValues.map(SQLValue.init) }
            }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int { try executeNow(sql, binds) }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try queryNow(sql, binds) }

    func bulkInsert(table: String, columns: [String], rows: [SQLRow]) async throws {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        try wrap(sql) {
            try queue.inDatabase { db in
                let statement = try db.cachedStatement(sql: sql)
                for row in rows {
                    try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
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
        case .double(let value): value.databaseValue
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
