@testable import Catalog
import NIOCore
import Testing
import TestSupport

/// Pages are read with `select`, which PostgreSQL answers as one row of arrays (`PackedColumn`): the same rows, in
/// the same order, as a plain query, for every type the catalog stores; and a damaged array is an error, not a crash.
@Suite struct PackedSelectTests {
    @Test(arguments: Backend.available)
    func answersAsAPlainQueryDoes(_ backend: Backend) async throws {
        let database = try await backend.makeCatalog().database
        try await database.execute("""
            CREATE TABLE samples (id BIGINT PRIMARY KEY, small INTEGER, x DOUBLE PRECISION, label TEXT, data \(backend == .postgres ? "BYTEA" : "BLOB"))
            """, [])
        for id in 1...40 {
            // Every fifth value NULL; labels out of id order, so the two orderings differ.
            try await database.execute("INSERT INTO samples (id, small, x, label, data) VALUES (?, ?, ?, ?, ?)", [
                .int(Int64(id) * 1_000_000_007), id % 5 == 0 ? .null : .int(Int64(-id)), .double(Double(id) / 3),
                id % 5 == 1 ? .null : .text("é\(41 - id)"), id % 5 == 2 ? .null : .blob(Array(repeating: UInt8(id), count: id)),
            ])
        }
        let columns = ["id", "small", "x", "NULL", "label", "data", "id * 2"]
        for rest in ["FROM samples ORDER BY id LIMIT ?", "FROM samples ORDER BY label DESC, id LIMIT ?",
                     "FROM samples WHERE id < 0 ORDER BY id LIMIT ?"] {
            let plain = try await database.query("SELECT \(columns.joined(separator: ", ")) \(rest)", [.int(25)])
            let packed = try await database.select(columns, rest, [.int(25)])
            #expect(packed == plain, "\(rest)")
        }
        #expect(try await database.select(columns, "FROM samples ORDER BY id LIMIT ?", [.int(25)]).count == 25)
    }

    @Test func damagedArraysAreErrors() throws {
        // One bigint element: ndim 1, no NULLs, type 20, 1 element from 1, then length 8 and the value.
        let good: [Int32] = [1, 0, 20, 1, 1, 8, 0, 42]
        func array(_ words: [Int32]) -> ByteBuffer {
            var buffer = ByteBuffer()
            for word in words { buffer.writeInteger(word) }
            return buffer
        }
        #expect(try PackedColumn.values(array(good)) == [.int(42)])
        var truncated = array(good)
        truncated.moveWriterIndex(to: truncated.writerIndex - 3)
        for damaged in [truncated, array([1, 0, 20, Int32.max, 1]), array([2, 0, 20, 1, 1]),
                        array([1, 0, 20, 1, 1, 100, 0, 42]), array([1, 0, 20, 1, 1, -2, 0, 42]), array([1, 0, 1186, 1, 1, 4, 7]), array(good + [0])] {
            #expect(throws: CatalogError.self) { try PackedColumn.values(damaged) }
        }
    }
}
