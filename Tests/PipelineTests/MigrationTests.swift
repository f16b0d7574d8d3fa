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
        #expect(try await Migrations.apply(to: database, through: 6) == [5, 6])
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

    /// Migration 7 swaps the histograms' (run, ME) index for (ME, run, LS), which the export and the ME filters use.
    @Test func histogramsAreIndexedByMERunAndLS() async throws {
        let path = try TemporaryFolder().url.appendingPathComponent("catalog.sqlite").path
        let database = try SQLiteDatabase(path: path)
        try await Migrations.apply(to: database, through: 6)
        #expect(try await Migrations.apply(to: database) == [7])
        let indexes = Set(try await database.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('th1', 'th2')", [])
            .compactMap { $0.first?.text })
        #expect(indexes.isSuperset(of: ["th1_me_run_ls", "th2_me_run_ls"]) && indexes.isDisjoint(with: ["th1_run_me", "th2_run_me"]), "\(indexes)")
        let plan = try await database.query("EXPLAIN QUERY PLAN SELECT id FROM th1 WHERE me_id = 1 ORDER BY run_number, ls_number", [])
        #expect(plan.contains { $0.contains { $0.text?.contains("th1_me_run_ls") ?? false } }, "\(plan)")
        try await database.close()
    }
}
