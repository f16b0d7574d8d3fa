import Catalog
import Foundation
import Testing
import TestSupport

/// Migrations over a catalog written by an earlier version: what they fill in for rows that were already there.
struct MigrationTests {
    @Test func datasetsFromBeforeMigrationFiveGetTheirNameParts() async throws {
        let path = try TemporaryFolder().url.appendingPathComponent("catalog.sqlite").path
        let database = try SQLiteDatabase(path: path)
        try await Migrations.apply(to: database, through: 4)
        try await database.execute("INSERT INTO datasets (name) VALUES (?), (?)",
                                   [.text("/ZeroBias/Run2024C-PromptReco-v1/DQMIO"), .text("/Muon0/Run2024D-v3000000000/DQMIO")])
        #expect(try await Migrations.apply(to: database) == [5, 6])
        let rows = try await database.query("""
            SELECT name, era, data_tier, primary_ds_name, processed_ds_name, processing_version FROM datasets ORDER BY id
            """, [])
        #expect(rows.map { $0.map { $0.text ?? $0.int.map(String.init) ?? "" } } == [
            ["/ZeroBias/Run2024C-PromptReco-v1/DQMIO", "Run2024C", "DQMIO", "ZeroBias", "Run2024C-PromptReco-v1", "1"],
            // A version past what the INTEGER column holds counts as none.
            ["/Muon0/Run2024D-v3000000000/DQMIO", "Run2024D", "DQMIO", "Muon0", "Run2024D-v3000000000", "0"],
        ])
        try await database.close()
    }
}
