import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// With workspaces configured, DFI counts and DETL loads each file once, with the union of their ME patterns:
/// exactly the truth's histograms that some workspace selects, on SQLite and on PostgreSQL.
@Suite(.serialized) struct WorkspaceETLTests {
    @Test(arguments: Backend.available)
    func theETLLoadsExactlyTheUnion(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        var settings = PipelineTests.settings(root)
        settings.workspaces = try WorkspaceConfiguration.load(file: try WorkspaceFixture.file().path)
        try await PipelineTests.indexAndIngest(catalog, root, settings: settings)

        var expectedNames: Set<String> = []
        var truthNames: Set<String> = []
        let files = try await catalog.files().filter { $0.path.contains("/store/") }
        #expect(files.count == Fixtures.good.count)
        for file in files {
            let truth = try TruthRecord.all(besides: file.path)
            let wanted = Set(truth.filter { WorkspaceFixture.union($0.name) }.map(\.key))
            truthNames.formUnion(truth.map(\.name))
            expectedNames.formUnion(truth.map(\.name).filter(WorkspaceFixture.union))
            let stored = try await catalog.histograms(fileID: file.id).map { "\($0.run)/\($0.lumi)/\($0.kind)/\($0.name)" }
            #expect(stored.count == Set(stored).count, "\(file.path): a histogram stored twice")
            #expect(Set(stored) == wanted, "\(file.path)")
            // The indexer counted the same selection, so the load is complete.
            #expect(file.status == .finished && file.mes == wanted.count && file.mesIngested == wanted.count, "\(file.path): \(file.mes) \(file.mesIngested)")
        }
        // The union is a real restriction of the fixtures, and every workspace contributes.
        #expect(!expectedNames.isEmpty && expectedNames.count < truthNames.count)
        for workspace in WorkspaceFixture.names {
            #expect(expectedNames.contains { WorkspaceFixture.selects(workspace, me: $0) }, "\(workspace) selects nothing in the fixtures")
        }
        let loadedNames = try await catalog.database.query("""
            SELECT DISTINCT m.name FROM monitoring_elements m
            JOIN (SELECT me_id FROM th1 UNION SELECT me_id FROM th2) h ON h.me_id = m.id
            """, []).compactMap { $0.first?.text }
        #expect(Set(loadedNames) == expectedNames)
        #expect(loadedNames.count == expectedNames.count)
        try await catalog.close()
    }
}
