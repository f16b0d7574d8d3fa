import Foundation
import Testing
import TestSupport

/// What the export refuses, on SQLite and PostgreSQL, through the API and the CLI: an ME whose binning changes
/// inside the selection, and an empty selection in the CLI. (What it exports is checked against ROOT's truth by
/// Tests/Client/export_test.py, with NumPy.)
@Suite(.serialized) struct ExportTests {
    @Test(arguments: Backend.available)
    func aRebinnedMEIsRefusedNamingTheRunsOfEachBinning(_ backend: Backend) async throws {
        let (_, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url, source: Fixtures.rebinned)
        defer { server.stop() }
        let refused = try await server.request("/api/v1/th1/export/")
        #expect(refused.status == 400)
        let message = try refused.json()["message"] as? String ?? ""
        #expect(message.contains("BeamSpot/Fit/pull_68417 changes binning"), "\(message)")
        #expect(message.contains("20 bins [0.0, 10.0] in runs 390001–390001") && message.contains("10 bins [0.0, 5.0] in runs 390002–390002"), "\(message)")
        // One run: one binning.
        let one = try await server.request("/api/v1/th1/export/?run_number=390002&format=csv")
        #expect(one.status == 200)
        let lines = one.text.split(separator: "\r\n")
        #expect(lines.count == 1 + 2 * 2, "two MEs over two LSs: \(lines.count - 1) rows")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 5 + 10 })
        // 2D MEs keep one binning: exported whole.
        #expect(try await server.request("/api/v1/th2/export/").status == 200)

        let folder = try TemporaryFolder().url
        let output = folder.appendingPathComponent("out.npz").path
        let cli = try await Binary.run(["export", "--database", url, "-o", output])
        #expect(cli.status == 1 && cli.stderr.contains("changes binning"), "\(cli.stderr)")
        let empty = try await Binary.run(["export", "--database", url, "--run", "1", "-o", output])
        #expect(empty.status == 1 && empty.stderr.contains("no histograms match: every ME, run 1"), "\(empty.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "a refused export leaves no file")
        let good = try await Binary.run(["export", "--database", url, "--runs", "390002-390002", "--me", "BeamSpot/", "-o", output])
        #expect(good.status == 0 && good.stdout.contains("1 MEs, 2 histograms"), "\(good.stdout) \(good.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.npz"])
        let bad = try await Binary.run(["export", "--database", url, "--runs", "5-2", "-o", output])
        #expect(bad.status == 64 && bad.stderr.contains("--runs takes A-B"), "\(bad.stderr)")
    }
}
