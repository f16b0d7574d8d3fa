import DQMIO
import Foundation
import Pipeline
import Testing
import TestSupport

/// The workspace configuration file: what it means, and a clear error for each way it can be wrong.
struct WorkspaceConfigTests {
    static func parse(_ json: String, file: String? = "ws.json") throws(WorkspaceConfigError) -> WorkspaceConfiguration {
        try WorkspaceConfiguration.parse(Data(json.utf8), file: file)
    }

    @Test func theFixtureConfigurationMeansWhatItSays() throws {
        let configuration = try Self.parse(WorkspaceFixture.json)
        #expect(configuration.names == ["ecal", "muon", "pixel"])
        #expect(configuration.defaultWorkspace.name == "muon")
        #expect(configuration.file == "ws.json")
        #expect(!configuration.isImplicit)
        let muon = try #require(configuration.workspace(named: "muon"))
        #expect(muon.mePatterns.map(\.description) == ["CSC/", "re:^DT/.*/Wheel0/"])
        #expect(muon.datasetPatterns?.map(\.description) == ["/Muon0/*Run2024*/DQMIO"])
        #expect(muon.selects(me: "CSC/CSCOfflineMonitor/recHits/eta_556"))
        #expect(muon.selects(me: "DT/02-Segments/Wheel0/phi_609"))
        #expect(!muon.selects(me: "DT/02-Segments/Wheel1/phi_609"))
        #expect(!muon.selects(me: "EcalBarrel/EBOccupancyTask/occupancy_1"))
        #expect(muon.selects(dataset: "/Muon0/Run2024D-PromptReco-v1/DQMIO"))
        #expect(!muon.selects(dataset: "/Muon0/Run2023C-PromptReco-v1/DQMIO"))
        #expect(!muon.selects(dataset: "/ZeroBias/Run2024C-PromptReco-v1/DQMIO"))
        let pixel = try #require(configuration.workspace(named: "pixel"))
        #expect(pixel.datasetPatterns == nil)
        #expect(pixel.selects(dataset: "/anything/at-all/DQMIO"))
        #expect(pixel.selects(me: "PixelPhase1/Tracks/PXBarrel/TrackPt_ImpactPoint_221"))
        #expect(!pixel.selects(me: "PixelPhase1/Phase1_MechanicalView/PXForward/energy_160"))
        #expect(configuration.workspace(named: "Muon") == nil, "names are exact, as DIALS's")
        // The union, each pattern once: EcalBarrel/ is both ecal's and pixel's.
        #expect(configuration.mePatterns.map(\.description) == ["EcalBarrel/", "EcalEndcap/", "CSC/", "re:^DT/.*/Wheel0/", "PixelPhase1/*PXBarrel*"])
    }

    @Test func withoutDefaultTheFirstIsTheDefault() throws {
        let configuration = try Self.parse(#"{"workspaces": [{"name": "b", "me": ["B/"]}, {"name": "a", "me": ["A/"]}]}"#)
        #expect(configuration.defaultWorkspace.name == "b")
    }

    @Test func theImplicitConfigurationSelectsEverything() {
        let implicit = WorkspaceConfiguration.implicit
        #expect(implicit.isImplicit && implicit.file == nil)
        #expect(implicit.names == ["all"] && implicit.defaultWorkspace.name == "all")
        #expect(implicit.mePatterns.isEmpty)
        #expect(implicit.defaultWorkspace.selects(me: "Any/thing") && implicit.defaultWorkspace.selects(dataset: "/A/B-C/D"))
    }

    /// The ETL's selection: the workspaces' union; `--me` patterns alone when there are some (the CLI refuses both).
    @Test func theSelectionIsTheUnion() throws {
        var settings = PipelineSettings()
        #expect(settings.selection.patterns.isEmpty)
        settings.workspaces = try Self.parse(WorkspaceFixture.json)
        #expect(settings.selection.patterns.map(\.description) == settings.workspaces.mePatterns.map(\.description))
        #expect(settings.selection.accepts(name: "EcalEndcap/EEOccupancyTask/energy_149"))
        #expect(!settings.selection.accepts(name: "L1T/L1TStage2uGMT/chi2ndof_22"))
        settings.mePatterns = [try NamePattern("L1T/")]
        #expect(settings.selection.patterns.map(\.description) == ["L1T/"])
    }

    static let one = #"{"name": "csc", "me": ["CSC/"]}"#

    /// Each bad file: its code, and what the message must name (the file, the place, the culprit).
    static let badFiles: [(json: String, code: WorkspaceConfigError.Code, says: [String])] = [
        ("{", .notJSON, ["not valid JSON"]),
        ("[\(one)]", .wrongType, ["not a JSON object"]),
        (#"{"default": "csc"}"#, .missingKey, ["no \"workspaces\" key"]),
        (#"{"workspaces": {}}"#, .wrongType, ["\"workspaces\" is not an array"]),
        (#"{"workspaces": []}"#, .noWorkspaces, ["lists none"]),
        (#"{"workspace": [\#(one)]}"#, .unknownKey, ["unknown key \"workspace\"", "known: default, description, workspaces"]),
        (#"{"workspaces": [\#(one)], "default": 3}"#, .wrongType, ["\"default\" is not a string"]),
        (#"{"workspaces": [\#(one)], "default": "tracker"}"#, .unknownDefault, ["default \"tracker\" is none of the workspaces (csc)"]),
        (#"{"workspaces": ["csc"]}"#, .wrongType, ["workspaces[0] is not an object"]),
        (#"{"workspaces": [{"me": ["CSC/"]}]}"#, .missingKey, ["workspaces[0]", "no \"name\" key"]),
        (#"{"workspaces": [{"name": "csc", "me_startswith": ["CSC/"]}]}"#, .unknownKey, ["workspaces[0] (\"csc\")", "unknown key \"me_startswith\""]),
        (#"{"workspaces": [{"name": "csc"}]}"#, .missingKey, ["workspaces[0] (\"csc\")", "no \"me\" key"]),
        (#"{"workspaces": [{"name": "csc", "me": "CSC/"}]}"#, .wrongType, ["workspaces[0] (\"csc\")", "\"me\" is not an array of strings"]),
        (#"{"workspaces": [{"name": "csc", "me": ["CSC/", 7]}]}"#, .wrongType, ["\"me\" is not an array of strings"]),
        (#"{"workspaces": [{"name": "csc", "me": []}]}"#, .missingKey, ["workspaces[0] (\"csc\")", "\"me\" lists no pattern"]),
        (#"{"workspaces": [{"name": "csc", "me": [""]}]}"#, .badPattern, ["workspaces[0] (\"csc\")", "an empty ME pattern"]),
        (#"{"workspaces": [{"name": "csc", "me": ["re:(CSC"]}]}"#, .badPattern, ["workspaces[0] (\"csc\")", "bad ME pattern \"re:(CSC\""]),
        (#"{"workspaces": [{"name": "csc", "me": ["CSC/"], "datasets": ["Muon/*"]}]}"#, .badPattern,
         ["workspaces[0] (\"csc\")", "dataset pattern \"Muon/*\" does not start with /"]),
        (#"{"workspaces": [{"name": "csc", "me": ["CSC/"], "datasets": ["/Muon[0-9/*"]}]}"#, .badPattern, ["\"/Muon[0-9/*\" has a [ without its ]"]),
        (#"{"workspaces": [{"name": "csc", "me": ["CSC/"], "datasets": []}]}"#, .missingKey, ["\"datasets\" lists no pattern"]),
        (#"{"workspaces": [{"name": "my csc", "me": ["CSC/"]}]}"#, .badName, ["workspaces[0]", "name \"my csc\""]),
        (#"{"workspaces": [{"name": "", "me": ["CSC/"]}]}"#, .badName, ["workspaces[0]", "name \"\""]),
        (#"{"workspaces": [\#(one), {"name": "ecal", "me": ["Ecal/"]}, \#(one)]}"#, .duplicateName, ["workspaces[2]", "a second workspace named \"csc\""]),
    ]

    @Test(arguments: badFiles.indices)
    func badFilesAreRefusedSayingWhy(_ index: Int) {
        let (json, code, says) = Self.badFiles[index]
        guard let error = #expect(throws: WorkspaceConfigError.self, "\(json)", performing: { try Self.parse(json) }) else { return }
        let text = error.description
        #expect(error.code == code, "\(json): \(error.code) — \(text)")
        #expect(error.file == "ws.json" && text.hasPrefix("workspace configuration ws.json: "), "\(text)")
        for fragment in says { #expect(text.contains(fragment), "\(json): \(text) lacks \(fragment)") }
    }

    @Test func aMissingOrUnreadableFileIsNamed() throws {
        let missing = try TemporaryFolder().url.appendingPathComponent("none.json").path
        do {
            _ = try WorkspaceConfiguration.load(file: missing)
            Issue.record("loaded a file that does not exist")
        } catch {
            #expect(error.code == .unreadable && error.file == missing)
            #expect(error.description == "workspace configuration \(missing): no such file")
        }
        let folder = try TemporaryFolder().url.path
        do {
            _ = try WorkspaceConfiguration.load(file: folder)
            Issue.record("loaded a folder")
        } catch {
            #expect(error.code == .unreadable && error.description.contains(folder), "\(error)")
        }
        let file = try WorkspaceFixture.file()
        #expect(try WorkspaceConfiguration.load(file: file.path).file == file.path)
    }

    /// The shipped translation of DIALS's etl.config.json parses into its seven workspaces, patterns intact.
    @Test func theShippedDIALSExampleParses() throws {
        let configuration = try WorkspaceConfiguration.load(file: WorkspaceFixture.dials.path)
        #expect(configuration.names == ["csc", "ecal", "egamma", "hcal", "jetmet", "muon_staging", "tracker"])
        #expect(configuration.defaultWorkspace.name == "tracker")
        let counts = configuration.workspaces.map { ($0.name, $0.mePatterns.count, $0.datasetPatterns?.count ?? 0) }
        #expect(counts.map(\.1) == [1, 3, 1, 1, 2, 5, 35])
        #expect(counts.map(\.2) == [3, 1, 1, 1, 2, 1, 5])
        let ecal = try #require(configuration.workspace(named: "ecal"))
        #expect(ecal.mePatterns.map(\.description) == ["EcalBarrel/", "EcalEndcap/", "Ecal/EventInfo/"])
        #expect(ecal.selects(dataset: "/ZeroBias/Run2024C-PromptReco-v1/DQMIO"))
        #expect(!ecal.selects(dataset: "/ZeroBias/Run2019A-PromptReco-v1/DQMIO"))
        #expect(!ecal.selects(dataset: "/Muon0/Run2024D-PromptReco-v1/DQMIO"))
        let csc = try #require(configuration.workspace(named: "csc"))
        #expect(csc.selects(dataset: "/Muon0/Run2024D-PromptReco-v1/DQMIO") && csc.selects(dataset: "/StreamExpress/Run2024E-Express-v1/DQMIO"))
        // me_startswith prefixes stay prefixes: none has a glob character, none is a regex.
        for workspace in configuration.workspaces {
            for pattern in workspace.mePatterns {
                #expect(workspace.selects(me: pattern.description + "anything"), "\(workspace.name): \(pattern)")
            }
        }
        let tracker = try #require(configuration.workspace(named: "tracker"))
        #expect(tracker.selects(me: "SiStrip/MechanicalView/TIB/charge_473"))
        #expect(!tracker.selects(me: "Tracking/TrackParameters/generalTracks/GeneralProperties/Quality"))
        #expect(tracker.selects(me: "Tracking/TrackParameters/generalTracks/GeneralProperties/Quality_GenTk"))
    }
}
