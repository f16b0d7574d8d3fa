import Catalog
import Foundation
@testable import Server
import Testing
import TestSupport

/// Reads through the `Workspace` header against a real server (`serve --workspaces`), on SQLite and PostgreSQL: every
/// list, detail and count answers only the workspace's MEs and datasets, compared with the catalog's own rows.
@Suite(.serialized) struct WorkspaceReadTests {
    struct Histogram: Decodable {
        let me: String
        let dataset: String
        let dataset_id: Int64
        let run_number: Int64
        let ls_number: Int64
        let me_id: Int64
    }

    struct Lumisection: Decodable {
        let dataset_id: Int64
        let run_number: Int64
        let ls_number: Int64
        let th1_count: Int
        let th2_count: Int
    }

    /// Every stored histogram of `table`: its ME name and dataset name, straight from the catalog.
    static func stored(_ catalog: Catalog, _ table: String) async throws -> [(me: String, dataset: String)] {
        try await catalog.database.query("""
            SELECT m.name, COALESCE(d.name, '') FROM \(table) h JOIN monitoring_elements m ON m.id = h.me_id
            JOIN files f ON f.id = h.file_id LEFT JOIN datasets d ON d.id = f.dataset_id
            """, []).map { ($0[0].text ?? "", $0[1].text ?? "") }
    }

    static func all<Item: Decodable>(_ server: RunningServer, _ path: String, workspace: String, as: Item.Type) async throws -> [Item] {
        try await APITests.all(server, path, headers: ["Workspace": workspace], as: Item.self)
    }

    static func selects(_ workspace: String, me: String, dataset: String) -> Bool {
        WorkspaceFixture.selects(workspace, me: me) && (WorkspaceFixture.selects(workspace, dataset: dataset) ?? true)
    }

    @Test(arguments: Backend.available)
    func eachWorkspaceReadsOnlyItsMEsAndDatasets(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url, extraArguments: ["--workspaces", try WorkspaceFixture.file().path])
        defer { server.stop() }
        let th1 = try await Self.stored(catalog, "th1")
        let th2 = try await Self.stored(catalog, "th2")
        for workspace in WorkspaceFixture.names {
            let expected1 = th1.filter { Self.selects(workspace, me: $0.me, dataset: $0.dataset) }
            let expected2 = th2.filter { Self.selects(workspace, me: $0.me, dataset: $0.dataset) }
            #expect(!expected1.isEmpty || !expected2.isEmpty, "\(workspace) selects something of the fixtures")
            let got1 = try await Self.all(server, "/api/v1/th1/?page_size=50", workspace: workspace, as: Histogram.self)
            let got2 = try await Self.all(server, "/api/v1/th2/?page_size=50", workspace: workspace, as: Histogram.self)
            #expect(got1.count == expected1.count && got2.count == expected2.count, "\(workspace): \(got1.count)/\(expected1.count) TH1, \(got2.count)/\(expected2.count) TH2")
            for item in got1 + got2 {
                #expect(Self.selects(workspace, me: item.me, dataset: item.dataset), "\(workspace) leaked \(item.me) of \(item.dataset)")
            }
            // Counts, MEs and lumisections agree with the histograms the workspace sees.
            // count-by-subsystem counts by ME (each ME's count is over every dataset).
            let subsystems = try await server.request("/api/v1/th1/count-by-subsystem", headers: ["Workspace": workspace]).decode([Subsystem].self)
            #expect(subsystems.reduce(0) { $0 + $1.count } == th1.filter { WorkspaceFixture.selects(workspace, me: $0.me) }.count, "\(workspace) count-by-subsystem")
            let mes = try await server.request("/api/v1/mes/", headers: ["Workspace": workspace]).json(as: [[String: Any]].self)
            let meNames = Set(mes.compactMap { $0["me"] as? String })
            #expect(meNames.allSatisfy { WorkspaceFixture.selects(workspace, me: $0) }, "\(workspace) mes/ leaked")
            #expect(Set((got1 + got2).map(\.me)).isSubset(of: meNames))
            let lumisections = try await Self.all(server, "/api/v1/lumisection/?page_size=500", workspace: workspace, as: Lumisection.self)
            #expect(lumisections.reduce(0) { $0 + $1.th1_count } == got1.count, "\(workspace): lumisection th1_count sums to its TH1s")
            #expect(lumisections.reduce(0) { $0 + $1.th2_count } == got2.count, "\(workspace): lumisection th2_count sums to its TH2s")
            let counted = try await server.request("/api/v1/lumisection/count/", headers: ["Workspace": workspace]).json()["count"] as? Int
            #expect(counted == lumisections.count)
            // The overview's bars count the workspace's files, as the lists they link to.
            let finished = try await server.request("/api/v1/file-index/count/?status=FINISHED", headers: ["Workspace": workspace]).json()["count"] as? Int
            let overview = try await server.request("/", headers: ["Cookie": "mlp_workspace=\(workspace)"]).text
            let bar = overview.firstMatch(of: /status-FINISHED"><\/rect><\/a><text [^>]*>([0-9]+)</)?.1
            #expect(bar.flatMap { Int($0) } == finished, "\(workspace): the overview's FINISHED bar says \(bar ?? "nothing"), the list \(finished ?? -1)")
            // A histogram outside the workspace is not found by its key either.
            if let outside = try await Self.all(server, "/api/v1/th1/?page_size=500", workspace: WorkspaceFixture.names.first { $0 != workspace } ?? "",
                                                as: Histogram.self).first(where: { !Self.selects(workspace, me: $0.me, dataset: $0.dataset) }) {
                let key = "\(outside.dataset_id)/\(outside.run_number)/\(outside.ls_number)/\(outside.me_id)"
                #expect(try await server.request("/api/v1/th1/\(key)/", headers: ["Workspace": workspace]).status == 404, "\(workspace) reads \(key)")
            }
        }
        let unknown = try await server.request("/api/v1/th1/", headers: ["Workspace": "hcal"])
        #expect(unknown.status == 404 && unknown.text.contains("hcal"))
        let names = try await server.request("/api/v1/workspaces/").json()["workspaces"] as? [String]
        #expect(names == WorkspaceFixture.names)
        #expect(try await server.request("/api/v1/workspaces/my-default/").json()["workspace"] as? String == "muon")
        // No header: the default workspace.
        let unscoped = try await Self.all(server, "/api/v1/th1/?page_size=500", workspace: "", as: Histogram.self)
        #expect(unscoped.count == th1.filter { Self.selects("muon", me: $0.me, dataset: $0.dataset) }.count)
    }

    struct Subsystem: Decodable {
        let subsystem: String
        let count: Int
    }

    @Test func aTokensWorkspacesClaimLimitsWhatItReads() async throws {
        let (_, url) = try await Backend.sqlite.makeDatabase()
        let issuer = TestIssuer.shared
        let jwks = try OIDCTests.jwksFile(TestIssuer.jwks([issuer.jwk(.rsa, kid: "rsa-1")]))
        let server = try await RunningServer.start(databaseURL: url, extraArguments: [
            "--workspaces", try WorkspaceFixture.file().path, "--require-token-for-reads",
        ] + OIDCTests.oidcArguments(jwks.path, ["--oidc-workspaces-claim", "cern_roles"]))
        defer { server.stop() }
        let token = try await issuer.sign(TestIssuer.claims(["cern_roles": .array([.string("ecal")])]), with: .rsa, kid: "rsa-1")
        let bearer = ["Authorization": "Bearer \(token)"]
        #expect(try await server.request("/api/v1/th1/", headers: bearer.merging(["Workspace": "ecal"]) { a, _ in a }).status == 200)
        let refused = try await server.request("/api/v1/th1/", headers: bearer.merging(["Workspace": "pixel"]) { a, _ in a })
        #expect(refused.status == 403 && refused.text.contains("pixel"))
        #expect(try await server.request("/api/v1/mes/", headers: bearer).status == 403, "the default, muon, is not among its workspaces")
        // A static token is not limited.
        let staticToken = ["Authorization": "Bearer \(RunningServer.token)", "Workspace": "pixel"]
        #expect(try await server.request("/api/v1/th1/", headers: staticToken).status == 200)
    }
}
