import Catalog
import Foundation
import Testing
import TestSupport

/// A fault of ours (here: a table dropped under the running server) is a 500 that answers only an error id; the
/// error's text, SQL included, goes to the server's log under that id.
struct InternalErrorTests {
    @Test(arguments: Backend.available)
    func aFiveHundredAnswersAnIDAndLogsTheError(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        #expect(try await server.request("/api/v1/th2/").status == 200)
        try await catalog.database.execute("DROP TABLE th2", [])
        let answer = try await server.request("/api/v1/th2/")
        #expect(answer.status == 500)
        let message = try #require(try answer.json()["message"] as? String)
        let id = try #require(message.firstMatch(of: /id ([0-9a-f]{8})/)?.1)
        for secret in ["th2", "SELECT", "FROM", "/work", ".swift"] {
            #expect(!answer.text.contains(secret), "the answer shows \(secret): \(answer.text)")
        }
        let log = server.stop()
        #expect(log.contains("error id \(id)") && log.contains("th2"), "the log names the id and the error: \(log.suffix(600))")
    }
}
