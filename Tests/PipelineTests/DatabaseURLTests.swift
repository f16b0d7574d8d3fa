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

    /// libpq's connection parameters: TLS, the time allowed to connect, a password given as a parameter.
    @Test func readsConnectionParameters() throws {
        let url = try DatabaseURL("postgres://u@db.example/cat?sslmode=verify-full&sslrootcert=/etc/ca%20file.pem&connect_timeout=3&password=s%26cret")
        let options = PostgresOptions(sslMode: .verifyFull, sslRootCert: "/etc/ca file.pem", connectTimeout: 3)
        #expect(url == .postgres(host: "db.example", port: 5432, user: "u", password: "s&cret", database: "cat", options: options))
        #expect(try DatabaseURL(url.description) == .postgres(host: "db.example", port: 5432, user: "u", password: nil, database: "cat", options: options))
        for mode in PostgresOptions.SSLMode.allCases {
            #expect(try DatabaseURL("postgres://u@h/cat?sslmode=\(mode.rawValue)") == .postgres(host: "h", port: 5432, user: "u", password: nil, database: "cat", options: PostgresOptions(sslMode: mode)))
        }
        #expect(try DatabaseURL("postgres://u:a@h/cat?password=b") == .postgres(host: "h", port: 5432, user: "u", password: "b", database: "cat"))
        #expect(try DatabaseURL("postgres://u@[::1]:6000/cat") == .postgres(host: "::1", port: 6000, user: "u", password: nil, database: "cat"))
    }

    /// Encrypted by default when the server is elsewhere; not on loopback (the test server) nor through a socket.
    @Test func defaultSSLModeDependsOnTheHost() {
        let defaults = PostgresOptions()
        #expect(defaults.effectiveSSLMode(host: "db.example") == .prefer)
        #expect(defaults.effectiveSSLMode(host: "10.0.0.1") == .prefer)
        #expect(defaults.effectiveSSLMode(host: "127.example") == .prefer)
        for loopback in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "/run/postgresql"] {
            #expect(defaults.effectiveSSLMode(host: loopback) == .disable, "\(loopback)")
        }
        #expect(PostgresOptions(sslMode: .require).effectiveSSLMode(host: "127.0.0.1") == .require)
        #expect(PostgresOptions(sslMode: .require).effectiveSSLMode(host: "/run/postgresql") == .disable)  // as libpq
    }

    /// A bad value is named by its parameter.
    @Test(arguments: [("sslmode=bogus", "sslmode=bogus"), ("sslmode=allow", "sslmode=allow"), ("sslrootcert=", "sslrootcert"),
                      ("connect_timeout=0", "connect_timeout"), ("connect_timeout=1.5", "connect_timeout"), ("port=0", "port")])
    func namesTheBadParameter(_ query: String, _ named: String) {
        let error = #expect(throws: CatalogError.self) { try DatabaseURL("postgres://u:pw@h/cat?\(query)") }
        let message = error?.description ?? ""
        #expect(message.contains(named) && !message.contains("pw"), "\(message)")
    }

    /// Passwords with the characters that end URL parts, unencoded and encoded: read whole, and never shown.
    static let passwords = ["p@ss", "p@ss@word", "a:b", "a/b", "a?b", "x%40y", "@:/?", "a?b@c", "%40"]

    @Test(arguments: passwords)
    func readsAndRedactsThePassword(_ password: String) throws {
        let text = "postgres://mlp:\(password)@db.example:6543/cat?sslmode=require"
        let url = try DatabaseURL(text)
        #expect(url == .postgres(host: "db.example", port: 6543, user: "mlp", password: password.removingPercentEncoding, database: "cat",
                                 options: PostgresOptions(sslMode: .require)))
        #expect(DatabaseURL.redacted(text) == "postgres://mlp:***@db.example:6543/cat?sslmode=require")
        #expect(!url.description.contains(password))
        let asParameter = "postgres://mlp@db.example/cat?password=\(password)&connect_timeout=2"
        #expect(DatabaseURL.redacted(asParameter) == "postgres://mlp@db.example/cat?password=***&connect_timeout=2")
        #expect(try DatabaseURL(asParameter) == .postgres(host: "db.example", port: 5432, user: "mlp", password: password.removingPercentEncoding,
                                                          database: "cat", options: PostgresOptions(connectTimeout: 2)))
    }

    /// Every refusal quotes the URL redacted, whatever went wrong and wherever the password was.
    @Test(arguments: passwords)
    func errorsNeverShowThePassword(_ password: String) {
        let secret = "S3cr" + password
        let texts = ["mysql://u:\(secret)@h/cat", "postgres://u:\(secret)@h/cat?sslmode=nope", "postgres://u:\(secret)@h:99999/cat",
                     "postgres://u:\(secret)@h/", "postgres://u:\(secret)%zz@h/cat", "postgres://u@h/cat?password=\(secret)&sslmode=x",
                     "postgres://u@h/?password=\(secret)", "postgres://u:\(secret)@h/cat?host=relative", "u:\(secret)@h/cat"]
        for text in texts {
            let error = #expect(throws: CatalogError.self) { try DatabaseURL(text) }
            let message = error?.description ?? ""
            #expect(!message.isEmpty && !message.contains(secret) && !message.contains(String(secret.dropFirst(2))), "\(message)")
        }
    }

    /// The server `make test` starts, through its socket rather than TCP: the same database answers.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MLP_TEST_POSTGRES_SOCKET_DIR"] != nil))
    func reachesTheServerThroughItsSocket() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["MLP_TEST_POSTGRES_SOCKET_DIR"], let tcp = environment["MLP_TEST_POSTGRES_URL"],
              case .postgres(_, let port, let user, _, let name, _) = try DatabaseURL(tcp) else {
            Issue.record("MLP_TEST_POSTGRES_URL is not a postgres URL")
            return
        }
        let database = try await DatabaseURL("postgres://\(user)@/\(name)?host=\(directory)&port=\(port)").open()
        let rows = try await database.query("SELECT current_database(), inet_server_addr() IS NULL", [])
        try await database.close()
        #expect(rows.first == [.text(name), .int(1)])  // no server address: not TCP
    }
}
