import Catalog
import Foundation

/// The databases every conformance test runs against: a SQLite file in a temporary folder, and — when
/// `MLP_TEST_POSTGRES_URL` names a server (`make test` starts one) — a fresh PostgreSQL database on it.
/// With `MLP_REQUIRE_POSTGRES=1` (set by `make test` and CI) a missing server fails the tests instead of skipping.
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static var available: [Backend] {
        let environment = ProcessInfo.processInfo.environment
        if environment["MLP_TEST_POSTGRES_URL"] != nil || environment["MLP_REQUIRE_POSTGRES"] == "1" { return allCases }
        print("note: MLP_TEST_POSTGRES_URL is not set; PostgreSQL tests are skipped (make test runs them)")
        return [.sqlite]
    }

    /// A new, empty, migrated catalog.
    public func makeCatalog() async throws -> Catalog {
        try await makeDatabase().catalog
    }

    /// A new, empty, migrated catalog and the URL other processes can open it with.
    public func makeDatabase() async throws -> (catalog: Catalog, url: String) {
        switch self {
        case .sqlite:
            let path = try TemporaryFolder().url.appendingPathComponent("catalog.sqlite").path
            return (try await Catalog.open(.sqlite(path: path)), "sqlite://\(path)")
        case .postgres:
            guard let text = ProcessInfo.processInfo.environment["MLP_TEST_POSTGRES_URL"] else {
                throw CatalogError("MLP_REQUIRE_POSTGRES=1 but MLP_TEST_POSTGRES_URL is not set")
            }
            guard case .postgres(let host, let port, let user, let password, _, let options) = try DatabaseURL(text) else {
                throw CatalogError("MLP_TEST_POSTGRES_URL is not a postgres URL")
            }
            let name = "mlp_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            let admin = try await DatabaseURL(text).open()
            try await admin.execute("CREATE DATABASE \(name)", [])
            try await admin.close()
            let url = DatabaseURL.postgres(host: host, port: port, user: user, password: password, database: name, options: options)
            return (try await Catalog.open(url), "postgres://\(user):\(password ?? "")@\(host):\(port)/\(name)")
        }
    }
}

/// A folder under the system's temporary directory, kept for the test run (the OS cleans /tmp).
public struct TemporaryFolder {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
}
