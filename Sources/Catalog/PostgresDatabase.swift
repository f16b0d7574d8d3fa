import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The production store and job queue: a pool of connections to PostgreSQL (postgres-nio). Workers on several hosts
/// share one server. Statements are written with `?` placeholders and sent with bound values ($1, $2, …).
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private static let logger = Logger(label: "mlplayground.postgres")

    public init(host: String, port: Int, user: String, password: String?, database: String) async throws {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: .disable)
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runner = Task { await client.run() }  // the pool's event loop; cancelled by close()
        do {
            _ = try await query("SELECT 1", [])
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// BEGIN, the body, COMMIT. When the body fails the connection is closed rather than rolled back: the server
    /// rolls back what a closed connection left open, and a ROLLBACK sent after a COPY broken by a server restart
    /// never got its answer from postgres-nio (the worker waited forever).
    public func transaction<T: Sendable>(exclusive: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let sql = PostgresSQLConnection(connection: connection)
            try await sql.execute("BEGIN", [])
            let value: T
            do {
                value = try await body(sql)
            } catch {
                try? await connection.close()
                throw error
            }
            try await sql.execute("COMMIT", [])
            return value
        }
    }

    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try await client.withConnection { try await PostgresSQLConnection(connection: $0).execute(sql, binds) }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withConnection { try await PostgresSQLConnection(connection: $0).query(sql, binds) }
    }

    public func listen(channel: String, notified: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                for try await notification in notifications { notified(notification.payload) }
            }
        }
        return true
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    static func wrap<T>(_ sql: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            throw CatalogError("PostgreSQL: \(message) in: \(sql.prefix(120))")
        }
    }
}

struct PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    private static let logger = Logger(label: "mlplayground.postgres")

    /// `?` placeholders become `$1`, `$2`, … (the catalog's SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func bindings(_ binds: [SQLValue]) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .int(let number): bindings.append(number)
            case .double(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return bindings
    }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try await PostgresDatabase.wrap(sql) {
            let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: try Self.bindings(binds))
            let rows = try await connection.query(query, logger: Self.logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await PostgresDatabase.wrap(sql) {
            let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: try Self.bindings(binds))
            var result: [SQLRow] = []
            for try await row in try await connection.query(query, logger: Self.logger) {
                result.append(try row.map(Self.value))
            }
            return result
        }
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return .blob(Array(buffer.readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// COPY … FROM STDIN in text format, in writes of about 1 MiB.
    func bulkInsert(table: String, columns: [String], rows: BulkRows, last: [Int64]) async throws {
        try rows.check(last: last, table: table, dialect: .postgres)
        try await PostgresDatabase.wrap("COPY \(table)") {
            try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                var buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
                var next = 0
                while next < rows.count {
                    rows.copyText(from: &next, last: last, into: &buffer, limit: 1 << 20)
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
        }
    }
}
