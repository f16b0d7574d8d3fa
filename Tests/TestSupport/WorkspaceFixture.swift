import Foundation

/// A workspace configuration for the fixture tree, and — spelt independently of the pattern code — which ME
/// names and datasets each of its workspaces selects, for the tests to compare the ETL and the scope API against.
public enum WorkspaceFixture {
    /// ecal: two prefixes, ZeroBias only; muon (the default): a prefix and a regex, the 2024 Muon0 datasets; pixel:
    /// a glob, every dataset.
    public static let json = """
        {
          "description": "test workspaces over Tests/Fixtures/dqmio",
          "default": "muon",
          "workspaces": [
            {"name": "ecal", "me": ["EcalBarrel/", "EcalEndcap/"], "datasets": ["/ZeroBias/*"]},
            {"name": "muon", "me": ["CSC/", "re:^DT/.*/Wheel0/"], "datasets": ["/Muon0/*Run2024*/DQMIO"],
             "description": "CSC and DT wheel 0"},
            {"name": "pixel", "me": ["PixelPhase1/*PXBarrel*", "EcalBarrel/"]}
          ]
        }
        """

    public static let names = ["ecal", "muon", "pixel"]

    /// Whether workspace `workspace` selects ME `name`.
    public static func selects(_ workspace: String, me name: String) -> Bool {
        switch workspace {
        case "ecal": name.hasPrefix("EcalBarrel/") || name.hasPrefix("EcalEndcap/")
        case "muon": name.hasPrefix("CSC/") || (name.hasPrefix("DT/") && name.contains("/Wheel0/"))
        case "pixel": (name.hasPrefix("PixelPhase1/") && name.contains("PXBarrel")) || name.hasPrefix("EcalBarrel/")
        default: false
        }
    }

    /// Whether any workspace selects `name`: what the ETL must load.
    public static func union(_ name: String) -> Bool { names.contains { selects($0, me: name) } }

    /// Whether workspace `workspace` selects dataset `name`; nil: it has no dataset patterns.
    public static func selects(_ workspace: String, dataset name: String) -> Bool? {
        switch workspace {
        case "ecal": name.hasPrefix("/ZeroBias/")
        case "muon": name.hasPrefix("/Muon0/") && name.contains("Run2024") && name.hasSuffix("/DQMIO")
        default: nil
        }
    }

    /// The configuration written to a fresh temporary file.
    public static func file() throws -> URL {
        let url = try TemporaryFolder().url.appendingPathComponent("workspaces.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    /// The shipped example, `config/workspaces.dials.json`.
    public static let dials = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/workspaces.dials.json")
}
