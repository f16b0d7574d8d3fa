import Catalog
import Foundation
import HTTPTypes
import Pipeline
@testable import Server
import Testing
import TestSupport

/// The server's side of workspaces: a request's `Workspace` header resolved as DIALS resolves it, the scope's ME,
/// dataset and file ids against the loaded fixture tree, and the two DIALS endpoints — on SQLite and PostgreSQL.
@Suite(.serialized) struct WorkspaceScopeTests {
    /// A catalog holding the fixture tree indexed and loaded with `workspaces`, and the server state over it.
    static func loaded(_ backend: Backend, _ workspaces: WorkspaceConfiguration) async throws -> (Catalog, ServerState) {
        let catalog = try await backend.makeCatalog()
        let root = try TemporaryFolder().url.appendingPathComponent("eos")
        try FileManager.default.copyItem(at: Fixtures.root, to: root)
        var settings = PipelineSettings(storageRoots: [root.path], readerThreads: 2, lease: 5, pollInterval: 0.05)
        settings.workspaces = workspaces
        _ = try await Indexer.trigger(catalog: catalog, storage: [root.path])
        try await Worker(catalog: catalog, settings: settings, queue: Queues.indexer).run(drain: true)
        try await Worker(catalog: catalog, settings: settings, queue: Queues.etl).run(drain: true)
        return (catalog, ServerState(catalog: catalog, pipeline: settings, settings: ServerSettings()))
    }

    static func request(_ state: ServerState, workspace: String?) -> APIRequest {
        var headers: HTTPFields = [:]
        if let workspace { headers[WorkspaceScope.headerName] = workspace }
        return APIRequest(query: [:], pathParameters: [:], origin: "", path: "/api/v1/th1", state: state, headers: headers)
    }

    static func text(_ reply: Endpoint.Reply) -> String {
        guard case .json(let value) = reply else { return "not JSON" }
        var out = JSONOutput()
        value.write(into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The ids the scope should give, found from the tables with the fixture's own spelling of each workspace.
    static func expectedMEIDs(_ catalog: Catalog, _ selects: (String) -> Bool) async throws -> [Int64] {
        try await catalog.monitorElements().filter { selects($0.name) }.map(\.id).sorted()
    }

    @Test(arguments: Backend.available)
    func theHeaderChoosesTheScopeAndItsIDs(_ backend: Backend) async throws {
        let (catalog, state) = try await Self.loaded(backend, try WorkspaceConfiguration.load(file: try WorkspaceFixture.file().path))
        // Absent or empty: the default; a name (surrounding blanks dropped): that one; exactly as configured.
        #expect(try Self.request(state, workspace: nil).workspaceScope().name == "muon")
        #expect(try Self.request(state, workspace: "").workspaceScope().name == "muon")
        #expect(try Self.request(state, workspace: "ecal").workspaceScope().name == "ecal")
        #expect(try Self.request(state, workspace: " pixel ").workspaceScope().name == "pixel")
        for unknown in ["tracker", "Ecal", "ecal,muon"] {
            let error = #expect(throws: APIError.self, "\(unknown)", performing: { try Self.request(state, workspace: unknown).workspaceScope() })
            #expect(error?.status == .notFound && error?.message == "workspace \"\(unknown)\" not found (known: ecal, muon, pixel)", "\(String(describing: error?.message))")
        }

        let allNames = try await catalog.monitorElements().map(\.name)
        let datasets = try await catalog.datasetNames()
        #expect(Set(datasets.map(\.name)) == ["/ZeroBias/Run2024C-PromptReco-v1/DQMIO", "/Muon0/Run2024D-PromptReco-v1/DQMIO",
                                             "/JetMET0/Run2023C-22Sep2023-v1/DQMIO"])
        let files = try await catalog.files()
        for name in WorkspaceFixture.names {
            let scope = try state.workspaceScope(header: name)
            #expect(!scope.selectsEveryME)
            let ids = try await scope.meIDs(catalog)
            let expected = try await Self.expectedMEIDs(catalog) { WorkspaceFixture.selects(name, me: $0) }
            #expect(ids == expected, "\(name)")
            #expect(!ids.isEmpty && ids.count < allNames.count, "\(name): \(ids.count) of \(allNames.count)")
            let datasetIDs = try await scope.datasetIDs(catalog)
            let fileIDs = try await scope.fileIDs(catalog)
            if WorkspaceFixture.selects(name, dataset: "/x") == nil {
                #expect(datasetIDs == nil && fileIDs == nil && scope.selectsEveryDataset, "\(name)")
            } else {
                let wanted = datasets.filter { WorkspaceFixture.selects(name, dataset: $0.name) == true }.map(\.id).sorted()
                #expect(!wanted.isEmpty && wanted.count < datasets.count)
                #expect(datasetIDs == wanted, "\(name)")
                let wantedFiles = files.filter { file in file.dataset.map { WorkspaceFixture.selects(name, dataset: $0) == true } ?? false }.map(\.id).sorted()
                #expect(fileIDs == wantedFiles && !wantedFiles.isEmpty, "\(name)")
            }
        }
        // muon: the two 2024 Muon0 files, not the malformed ones (no dataset) nor ZeroBias's.
        let muonFiles = try await state.workspaceScope(header: "muon").fileIDs(catalog) ?? []
        #expect(files.filter { muonFiles.contains($0.id) }.map { $0.path.contains("/Run2024D/Muon0/") } == [true, true])

        #expect(Self.text(try await WorkspaceEndpoints.list.handle(Self.request(state, workspace: "ecal"))) == #"{"workspaces":["ecal","muon","pixel"]}"#)
        #expect(Self.text(try await WorkspaceEndpoints.myDefault.handle(Self.request(state, workspace: "ecal"))) == #"{"workspace":"muon"}"#)
        try await catalog.close()
    }

    /// No configuration file: one workspace, `all`, whatever the header says, with every loaded ME and no dataset
    /// restriction — what the API served before workspaces.
    @Test(arguments: Backend.available)
    func withoutConfigurationEverythingIsInScope(_ backend: Backend) async throws {
        let (catalog, state) = try await Self.loaded(backend, .implicit)
        let allIDs = try await catalog.monitorElements().map(\.id).sorted()
        #expect(allIDs.count > 50)
        for header in [nil, "", "tracker", "all"] {
            let scope = try Self.request(state, workspace: header).workspaceScope()
            #expect(scope.name == "all" && scope.selectsEveryME && scope.selectsEveryDataset)
            #expect(try await scope.meIDs(catalog) == allIDs)
            #expect(try await scope.datasetIDs(catalog) == nil)
        }
        #expect(Self.text(try await WorkspaceEndpoints.list.handle(Self.request(state, workspace: nil))) == #"{"workspaces":["all"]}"#)
        #expect(Self.text(try await WorkspaceEndpoints.myDefault.handle(Self.request(state, workspace: nil))) == #"{"workspace":"all"}"#)
        try await catalog.close()
    }

    /// DIALS's own seven over the fixtures: the ETL loads their union, and each workspace sees its prefixes — muon_staging's
    /// five exact DT names none (the fixtures' DT MEs are others), tracker's long list only PixelPhase1/ and SiStrip/.
    @Test(arguments: Backend.available)
    func theDIALSWorkspacesOverTheFixtures(_ backend: Backend) async throws {
        let (catalog, state) = try await Self.loaded(backend, try WorkspaceConfiguration.load(file: WorkspaceFixture.dials.path))
        let loaded = Set(try await catalog.monitorElements().map(\.name))
        let prefixes = ["CSC/CSCOfflineMonitor/recHits/", "EcalBarrel/", "EcalEndcap/", "Ecal/EventInfo/", "Egamma/", "Hcal/DigiTask/", "JetMET/Jet/", "PixelPhase1/", "SiStrip/"]
        var truth: Set<String> = []
        for path in Fixtures.good.values { truth.formUnion(try TruthRecord.all(besides: path).map(\.name)) }
        #expect(loaded == truth.filter { name in prefixes.contains { name.hasPrefix($0) } })
        #expect(try state.workspaceScope(header: nil).name == "tracker")
        let expectations: [(String, [String])] = [("tracker", ["PixelPhase1/", "SiStrip/"]), ("ecal", ["EcalBarrel/", "EcalEndcap/", "Ecal/EventInfo/"]),
                                                  ("jetmet", ["JetMET/Jet/"]), ("muon_staging", [])]
        for (name, wanted) in expectations {
            let ids = try await state.workspaceScope(header: name).meIDs(catalog)
            let expected = try await Self.expectedMEIDs(catalog) { me in wanted.contains { me.hasPrefix($0) } }
            #expect(ids == expected, "\(name)")
            #expect(ids.isEmpty == wanted.isEmpty, "\(name)")
        }
        let jetmetDatasets = try await state.workspaceScope(header: "jetmet").datasetIDs(catalog)
        let byName = Dictionary(uniqueKeysWithValues: try await catalog.datasetNames().map { ($0.name, $0.id) })
        #expect(jetmetDatasets == [byName["/JetMET0/Run2023C-22Sep2023-v1/DQMIO"]].compactMap { $0 })
        #expect(try await state.workspaceScope(header: "muon_staging").datasetIDs(catalog) == [])
        try await catalog.close()
    }
}
