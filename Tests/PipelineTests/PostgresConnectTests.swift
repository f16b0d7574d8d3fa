@testable import Catalog
import Foundation
import Testing
import TestSupport

/// A server that cannot be reached fails the opening within `connect_timeout`, saying where it was looked for (the
/// pool alone retried silently for 45 s and more).
struct PostgresConnectTests {
    @Test(arguments: ["", "&sslmode=require"])
    func aSilentServerFailsWithinTheTimeout(_ query: String) async throws {
        let listener = try SilentListener()
        let start = ContinuousClock.now
        let error = await #expect(throws: CatalogError.self) {
            try await DatabaseURL("postgres://mlp:hunter2@127.0.0.1:\(listener.port)/cat?connect_timeout=1\(query)").open()
        }
        // ~1 s alone; a whole `swift test` starting at once stalled it to 5 s. Without the bound it took 65 s.
        #expect(ContinuousClock.now - start < .seconds(30))
        let message = error?.description ?? ""
        #expect(error?.code == .unreachable)
        #expect(message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:\(listener.port) within 1 s: "), "\(message)")
        #expect(!message.contains("hunter2"))
        withExtendedLifetime(listener) {}
    }

    /// Connected, then no answer to the first query: bounded by the same timeout.
    @Test func aServerThatLetsInButNeverAnswersFailsWithinTheTimeout() async throws {
        let server = try MuteServer()
        let start = ContinuousClock.now
        let error = await #expect(throws: CatalogError.self) {
            try await DatabaseURL("postgres://mlp:hunter2@127.0.0.1:\(server.port)/cat?connect_timeout=1").open()
        }
        #expect(ContinuousClock.now - start < .seconds(30))
        let message = error?.description ?? ""
        #expect(error?.code == .unreachable)
        #expect(message == "cannot connect to PostgreSQL at 127.0.0.1:\(server.port) within 1 s: no answer to SELECT 1", "\(message)")
        withExtendedLifetime(server) {}
    }

    @Test func anUnreadableRootCertificateIsNamed() async throws {
        let listener = try SilentListener()
        let error = await #expect(throws: CatalogError.self) {
            try await DatabaseURL("postgres://mlp@127.0.0.1:\(listener.port)/cat?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").open()
        }
        #expect(error?.description.contains("sslrootcert=/nonexistent/ca.pem") == true, "\(String(describing: error))")
        withExtendedLifetime(listener) {}
    }
}
