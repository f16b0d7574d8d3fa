@testable import Catalog
import Foundation
import Testing
import TestSupport

/// Database URLs as `--database` and `MLP_DATABASE_URL` take them, and a PostgreSQL server reached through its
/// unix socket.
struct DatabaseURLTests {
    @Test func readsEachForm() throws {
        #expect(try DatabaseURL("postgres://u:p%40ss@db.example:6543/cat") == .postgres(host: "db.example", port: 6543, user: "u", password: "p@ss", database: "cat"))
        #expect(try DatabaseURL("postgresql://u@localhost/cat") == .postgres(host: "localhost", port: 5432, user: "u", password: nil, database: "cat"))
        let socket = try DatabaseURL("postgres://u@/cat?host=/run/postgresql&port=5433")
        #expect(socket == .postgres(host: "/run/postgresql", port: 5433, user: "u", password: nil, database: "cat"))
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(try DatabaseURL(socket.description) == socket)
        #expect(try DatabaseURL("postgres://u@localhost/cat").socketPath == nil)
        #expect(try DatabaseURL("sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseURL("sqlite:x.sqlite") == .sqlite(path: "x.sqlite"))
    }

    @Test(arguments: ["postgres://u@/cat?host=run/postgresql", "postgres://u@/cat?host=/run&port=70000", "postgres://u@/cat",
                      "postgres://u@localhost/", "mysql://u@localhost/cat", "sqlite:"])
    func refusesWhatItCannotOpen(_ text: String) {
        #expect(throws: CatalogError.self) { try DatabaseURL(text) }
    }

    /// The server `make test` starts, through its socket rather than TCP: the same database answers.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MLP_TEST_POSTGRES_SOCKET_DIR"] != nil))
    func reachesTheServerThroughItsSocket() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["MLP_TEST_POSTGRES_SOCKET_DIR"], let tcp = environment["MLP_TEST_POSTGRES_URL"],
              case .postgres(_, let port, let user, _, let name) = try DatabaseURL(tcp) else {
            Issue.record("MLP_TEST_POSTGRES_URL is not a postgres URL")
            return
        }
        let database = try await DatabaseURL("postgres://\(user)@/\(name)?host=\(directory)&port=\(port)").open()
        let rows = try await database.query("SELECT current_database(), inet_server_addr() IS NULL", [])
        try await database.close()
        #expect(rows.first == [.text(name), .int(1)])  // no server address: not TCP
    }
}
