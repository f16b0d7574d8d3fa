@testable import Catalog
import Foundation
import Testing
import TestSupport

enum TLSTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let configured: Bool = {
        if environment["MLP_TEST_POSTGRES_URL"] != nil || environment["MLP_REQUIRE_POSTGRES"] == "1" { return true }
        print("note: MLP_TEST_POSTGRES_URL is not set; PostgreSQL TLS tests are skipped (make test runs them)")
        return false
    }()
}

/// TLS to the server scripts/with-postgres.sh starts: ssl = on, a certificate for DNS:localhost only, signed by the
/// CA in MLP_TEST_POSTGRES_CA. Skipped without a server; with MLP_REQUIRE_POSTGRES=1 a missing one fails.
@Suite(.enabled(if: TLSTestServer.configured))
struct PostgresTLSTests {
    static let environment = TLSTestServer.environment

    /// The test server, reached as `host`, with `options`.
    func open(host: String = "127.0.0.1", _ options: PostgresOptions) async throws -> PostgresDatabase {
        guard let text = Self.environment["MLP_TEST_POSTGRES_URL"] else {
            throw CatalogError("MLP_REQUIRE_POSTGRES=1 but MLP_TEST_POSTGRES_URL is not set")
        }
        guard case .postgres(_, let port, let user, let password, let database, _) = try DatabaseURL(text) else {
            throw CatalogError("MLP_TEST_POSTGRES_URL is not a postgres URL")
        }
        var options = options
        // Not what these tests are about, and a whole `swift test` starting at once stalled this process for 5 s.
        options.connectTimeout = 60
        return try await PostgresDatabase(host: host, port: port, user: user, password: password, database: database, options: options)
    }

    func certificateAuthority() throws -> String {
        guard let file = Self.environment["MLP_TEST_POSTGRES_CA"] else {
            throw CatalogError("MLP_TEST_POSTGRES_CA is not set: run under scripts/with-postgres.sh, which makes the server's CA")
        }
        return file
    }

    /// Whether this session's connection is encrypted, as the server sees it.
    func encrypted(_ database: PostgresDatabase) async throws -> Bool {
        let rows = try await database.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", [])
        try await database.close()
        return try #require(rows.first?.first) == .int(1)
    }

    @Test func requireEncrypts() async throws {
        #expect(try await encrypted(open(PostgresOptions(sslMode: .require))))
    }

    @Test func disableAndTheLoopbackDefaultDoNot() async throws {
        #expect(try await !encrypted(open(PostgresOptions(sslMode: .disable))))
        #expect(try await !encrypted(open(PostgresOptions())))
    }

    @Test func verifyFullPassesWithTheCAAndTheCertificatesName() async throws {
        let ca = try certificateAuthority()
        #expect(try await encrypted(open(host: "localhost", PostgresOptions(sslMode: .verifyFull, sslRootCert: ca))))
    }

    /// verify-ca checks the chain only: 127.0.0.1, not in the certificate, passes it and fails verify-full.
    @Test func verifyFullChecksTheHostName() async throws {
        let ca = try certificateAuthority()
        #expect(try await encrypted(open(host: "127.0.0.1", PostgresOptions(sslMode: .verifyCA, sslRootCert: ca))))
        let error = await #expect(throws: CatalogError.self) {
            try await open(host: "127.0.0.1", PostgresOptions(sslMode: .verifyFull, sslRootCert: ca)).close()
        }
        #expect(error?.description.contains("at 127.0.0.1:") == true && error?.description.contains("does not name 127.0.0.1") == true,
                "\(String(describing: error))")
    }

    @Test(arguments: [PostgresOptions.SSLMode.verifyCA, .verifyFull, .require])
    func anotherCAIsRefused(_ mode: PostgresOptions.SSLMode) async throws {
        let other = try TemporaryFolder().url
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                             "-keyout", other.appendingPathComponent("ca.key").path, "-out", other.appendingPathComponent("ca.crt").path,
                             "-days", "1", "-subj", "/CN=another CA", "-addext", "basicConstraints=critical,CA:TRUE"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a CA")
        // require with a root certificate checks the chain, as libpq does.
        let file = other.appendingPathComponent("ca.crt").path
        let error = await #expect(throws: CatalogError.self) {
            try await open(host: "localhost", PostgresOptions(sslMode: mode, sslRootCert: file)).close()
        }
        #expect(error?.description.contains("at localhost:") == true && error?.description.contains("not signed by a CA in \(file)") == true,
                "\(String(describing: error))")
    }
}
