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
    private let statements = PreparedStatements()
    private static let logger = Logger(label: "mlplayground.postgres")

    /// Connects to `host`:`port` over TCP, or through the unix socket at `socketPath` when given (a server on this
    /// host: no TCP stack between the two; PostgreSQL spent a tenth less CPU per API page). Fails within
    /// `options.connectTimeout` when the server cannot be reached (`CatalogError.Code.unreachable`), naming it.
    public init(host: String, port: Int, socketPath: String? = nil, user: String, password: String?, database: String,
                options: PostgresOptions = PostgresOptions()) async throws {
        let endpoint = PostgresEndpoint(host: host, port: port, socketPath: socketPath)
        let mode = options.effectiveSSLMode(host: socketPath ?? host)
        let tls = try options.tlsConfiguration(mode: mode)
        var configuration = socketPath.map {
            PostgresClient.Configuration(unixSocketPath: $0, username: user, password: password, database: database)
        } ?? PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database,
                                          tls: tls.map { mode == .prefer ? .prefer($0) : .require($0) } ?? .disable)
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = .seconds(options.timeoutSeconds)
        // The pool retries a failing connection for tens of seconds before giving up, silently: one connection
        // of our own first says at once, and why, when the server cannot be reached.
        try await endpoint.probe(user: user, password: password, database: database, tls: tls, requireTLS: mode != .prefer,
                                 rootCertificate: options.sslRootCert, timeout: options.timeoutSeconds, logger: Self.logger)
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runner = Task { await client.run() }  // the pool's event loop; cancelled by close()
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

    /// Reads outside transactions run as prepared statements (see `PreparedStatements`): these are the API's.
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withConnection { try await PostgresSQLConnection(connection: $0, statements: statements).query(sql, binds) }
    }

    public func select(_ columns: [String], _ rest: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withConnection {
            try await PostgresSQLConnection(connection: $0, statements: statements).select(columns, rest, binds)
        }
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
    /// Where queries get their prepared statements; nil to run every statement unprepared (in transactions, where
    /// a statement prepared in a failing transaction would fail on the connection for good).
    var statements: PreparedStatements? = nil
    private static let logger = Logger(label: "mlplayground.postgres")

    /// `?` placeholders become `$1`, `$2`, … (the catalog's SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "?") {
                number += 1
                out.append(UInt8(ascii: "$"))
                out += String(number).utf8
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
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
        var result: [SQLRow] = []
        try await rows(sql, binds) { row in
            var values: SQLRow = []
            values.reserveCapacity(row.count)
            for cell in row { values.append(try Self.value(cell)) }
            result.append(values)
        }
        return result
    }

    /// The rows packed into one row of arrays, a column each (see `PackedColumn`): `SELECT array_agg(c0), … FROM
    /// (SELECT <columns> <rest>) page`. The aggregates take the rows in the sorted subquery's order: PostgreSQL's
    /// manual says so unless the outer query adds processing such as a join, and this one adds none. Columns that
    /// are the literal NULL (placeholders the catalog fills in later) are not sent: each aggregate cost PostgreSQL
    /// ~10 µs a page.
    func select(_ columns: [String], _ rest: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let sent = columns.indices.filter { columns[$0] != "NULL" }
        guard !sent.isEmpty else { return try await query("SELECT \(columns.joined(separator: ", ")) \(rest)", binds) }
        let sql = """
            SELECT \(sent.map { "array_agg(c\($0))" }.joined(separator: ", "))
            FROM (SELECT \(sent.map { "\(columns[$0]) AS c\($0)" }.joined(separator: ", ")) \(rest)) page
            """
        var packed: [[SQLValue]] = []
        try await rows(sql, binds) { row in
            for cell in row {
                guard cell.format == .binary else { throw CatalogError("PostgreSQL: a packed column in text format") }
                packed.append(try cell.bytes.map(PackedColumn.values) ?? [])  // NULL: no rows
            }
        }
        let count = packed.first?.count ?? 0
        guard packed.allSatisfy({ $0.count == count }) else { throw CatalogError("PostgreSQL: packed columns of unequal lengths") }
        let unsent = SQLRow(repeating: .null, count: columns.count)
        return (0..<count).map { index in
            var row = unsent
            for (column, position) in zip(packed, sent) { row[position] = column[index] }
            return row
        }
    }

    /// Runs `sql`, prepared when this connection prepares statements, and hands each row to `body`.
    private func rows(_ sql: String, _ binds: [SQLValue], _ body: (PostgresRow) throws -> Void) async throws {
        try await PostgresDatabase.wrap(sql) {
            let bindings = try Self.bindings(binds)
            if let statement = statements?.statement(sql, binds) {
                try await NamedStatement.run(statement.name, sql: statement.sql, bindings: bindings, on: connection, logger: Self.logger, body)
            } else {
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings), logger: Self.logger) {
                    try body(row)
                }
            }
        }
    }

    /// A cell as a value: the common binary forms read directly (`PostgresBinaryValue`), anything else through
    /// postgres-nio's decoding.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard let bytes = cell.bytes else { return .null }
        if cell.format == .binary, let value = bytes.withUnsafeReadableBytes({ PostgresBinaryValue.value(cell.dataType, $0) }) {
            return value
        }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
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
