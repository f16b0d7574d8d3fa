import PostgresNIO
import Synchronization

/// Server-side prepared statements for the catalog's run-time SQL. Parsing and planning were 40 % of the server's
/// work per API page; a prepared statement is parsed once per connection and its plan reused.
///
/// Each distinct text (with its bind types, so that a plan never meets a value of another type) gets a name the
/// first time it runs, up to `limit` of them; texts after that run unprepared. postgres-nio keeps a statement
/// prepared for its connection's life, so a stream of one-off texts (an ME regex becomes a list of ids) must not
/// fill the server's memory with plans.
final class PreparedStatements: Sendable {
    /// A prepared statement: its name and its text as sent (`$n` placeholders), made once.
    struct Statement: Sendable {
        let name: String
        let sql: String
    }

    private let statements = Mutex<[String: Statement]>([:])
    private let limit: Int

    init(limit: Int = 128) { self.limit = limit }

    /// The statement for `sql` (with `?` placeholders) and these bind types, or nil when it should run unprepared.
    func statement(_ sql: String, _ binds: [SQLValue]) -> Statement? {
        var key = sql
        key.append("\u{0}")
        for value in binds {
            let type: Character = switch value {
            case .null: "n"
            case .int: "i"
            case .double: "d"
            case .text: "t"
            case .blob: "b"
            }
            key.append(type)
        }
        return statements.withLock { statements in
            if let statement = statements[key] { return statement }
            guard statements.count < limit else { return nil }
            let statement = Statement(name: "mlp_\(statements.count + 1)", sql: PostgresSQLConnection.numbered(sql))
            statements[key] = statement
            return statement
        }
    }
}

/// postgres-nio prepares statements declared as types, with the name and text as static members that it reads
/// when `execute` is called, on the calling task. The catalog's statements are built at run time, so this one
/// takes both from a task-local set around that call (`run`).
struct NamedStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    @TaskLocal private static var current = (name: "", sql: "")
    static var name: String { current.name }
    static var sql: String { current.sql }

    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }

    /// Runs `sql` as the prepared statement `name` on `connection` (preparing it there first if need be) and
    /// hands every row to `body`.
    static func run(_ name: String, sql: String, bindings: PostgresBindings, on connection: PostgresConnection,
                    logger: Logger, _ body: (PostgresRow) throws -> Void) async throws {
        try await $current.withValue((name, sql)) {
            for try await row in try await connection.execute(NamedStatement(bindings: bindings), logger: logger) {
                try body(row)
            }
        }
    }
}
