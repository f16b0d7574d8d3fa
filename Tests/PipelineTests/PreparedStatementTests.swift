@testable import Catalog
import Testing
import TestSupport

/// Reads outside transactions run as prepared statements on PostgreSQL (`PreparedStatements`): the same answers
/// as unprepared ones, whatever the order of the bind types, and past the limit of prepared texts.
@Suite struct PreparedStatementTests {
    @Test func eachTextAndBindTypesGetsOneNameUpToTheLimit() {
        let statements = PreparedStatements(limit: 3)
        let first = statements.statement("SELECT ?", [.int(1)])?.name
        #expect(first != nil)
        #expect(statements.statement("SELECT ?", [.int(2)])?.name == first)
        let asDouble = statements.statement("SELECT ?", [.double(2)])?.name
        #expect(asDouble != nil && asDouble != first)
        let other = statements.statement("SELECT ? + 1", [.int(1)])
        #expect(other?.name != nil && other?.name != first && other?.name != asDouble)
        #expect(other?.sql == "SELECT $1 + 1")
        #expect(statements.statement("SELECT ? + 2", [.int(1)]) == nil)
        #expect(statements.statement("SELECT ?", [.int(3)])?.name == first)
    }

    /// SQLite keeps the first distinct texts compiled, no more, and answers the rest all the same.
    @Test func sqliteCachesTheFirstTextsOnly() async throws {
        let database = try #require(try await Backend.sqlite.makeCatalog().database as? SQLiteDatabase)
        let limit = database.cachedTexts.limit
        for n in 0..<(limit + 50) {
            let rows = try await database.query("SELECT \(n) + ?", [.int(1)])
            #expect(rows.first?.first?.int == Int64(n + 1))
        }
        #expect(database.cachedTexts.count == limit)
        #expect(try await database.query("SELECT 0 + ?", [.int(2)]).first?.first?.int == 2)
    }

    /// Non-finite numbers (a histogram's entries or range can be NaN) are stored in NOT NULL columns on both
    /// databases and read back as they were: SQLite, which has no NaN, had turned it into a NULL and failed the load.
    @Test(arguments: Backend.available)
    func nonFiniteNumbersAreStoredAndReadBack(_ backend: Backend) async throws {
        let database = try await backend.makeCatalog().database
        try await database.execute("CREATE TABLE measures (id BIGINT PRIMARY KEY, x DOUBLE PRECISION NOT NULL)", [])
        let values: [Double] = [.nan, .infinity, -.infinity, 1.5]
        for (id, x) in values.enumerated() { try await database.execute("INSERT INTO measures (id, x) VALUES (?, ?)", [.of(id), .double(x)]) }
        let read = try await database.query("SELECT x FROM measures ORDER BY id", []).compactMap { $0.first?.double }
        #expect(read.count == 4 && read[0].isNaN && Array(read.dropFirst()) == Array(values.dropFirst()), "\(read)")
    }

    @Test(arguments: Backend.available)
    func repeatedReadsAnswerAlikeWhateverTheBindTypes(_ backend: Backend) async throws {
        let database = try await backend.makeCatalog().database
        try await database.execute("CREATE TABLE samples (id BIGINT PRIMARY KEY, x DOUBLE PRECISION, label TEXT)", [])
        for id in 1...6 {
            try await database.execute("INSERT INTO samples (id, x, label) VALUES (?, ?, ?)",
                                       [.int(Int64(id)), .double(Double(id) * 0.5), .text("s\(id)")])
        }
        let sql = "SELECT id FROM samples WHERE x >= ? ORDER BY id"
        func ids(_ bound: SQLValue) async throws -> [Int64] { try await database.query(sql, [bound]).compactMap { $0.first?.int } }
        // One text, first bound as an integer, then as doubles: a plan prepared for a bigint must never be handed
        // a double's bytes.
        for _ in 0..<3 {
            #expect(try await ids(.int(2)) == [4, 5, 6])
            #expect(try await ids(.double(1.5)) == [3, 4, 5, 6])
            #expect(try await ids(.double(2.75)) == [6])
        }
        #expect(try await database.query("SELECT label FROM samples WHERE id = ?", [.int(5)]).first?.first == .text("s5"))
        // More distinct texts than are prepared (128): the later ones run unprepared, with the same answers.
        for offset in 0..<140 {
            let rows = try await database.query("SELECT id + \(offset) FROM samples WHERE id = ?", [.int(3)])
            #expect(rows.first?.first?.int == 3 + Int64(offset))
        }
    }
}
