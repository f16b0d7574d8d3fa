/// The 14 ME types of CMSSW's DQMIO format (DQMServices/FwkIO, `DQMRootOutputModule`): the value of the
/// Indices `Type` column and the tree that holds that type.
public enum MonitorElementKind: UInt32, Sendable, CaseIterable, Codable {
    case int = 0, float, string, th1f, th1s, th1d, th2f, th2s, th2d, th3f, tprofile, tprofile2d, th1i, th2i

    /// Indices `Type` of a lumisection that produced no ME.
    public static let emptyLumiType: UInt32 = 1000

    public var treeName: String {
        ["Ints", "Floats", "Strings", "TH1Fs", "TH1Ss", "TH1Ds", "TH2Fs", "TH2Ss", "TH2Ds", "TH3Fs",
         "TProfiles", "TProfile2Ds", "TH1Is", "TH2Is"][Int(rawValue)]
    }

    /// The ROOT class stored in the tree's Value branch, and the name used on the command line and in output.
    public var name: String {
        ["Int", "Float", "String", "TH1F", "TH1S", "TH1D", "TH2F", "TH2S", "TH2D", "TH3F",
         "TProfile", "TProfile2D", "TH1I", "TH2I"][Int(rawValue)]
    }

    /// 1 or 2 for the histogram kinds this project loads; nil for scalars and TH3F.
    public var dimension: Int? {
        switch self {
        case .th1f, .th1s, .th1d, .th1i, .tprofile: 1
        case .th2f, .th2s, .th2d, .th2i, .tprofile2d: 2
        default: nil
        }
    }

    public static let oneDimensional: [MonitorElementKind] = [.th1f, .th1s, .th1d, .th1i, .tprofile]
    public static let twoDimensional: [MonitorElementKind] = [.th2f, .th2s, .th2d, .th2i, .tprofile2d]
    /// What `dump` prints and the ETL loads by default.
    public static let histograms: [MonitorElementKind] = oneDimensional + twoDimensional

    /// Parses `TH1F`, `TProfile`, … or the groups `th1` (every 1D kind) and `th2` (every 2D kind),
    /// case-insensitively. Only histogram kinds can be selected: the rest carry no bins.
    public static func parse(_ text: String) throws -> [MonitorElementKind] {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch key {
        case "th1": return oneDimensional
        case "th2": return twoDimensional
        default:
            if let kind = histograms.first(where: { $0.name.lowercased() == key }) { return [kind] }
            let known = (["th1", "th2"] + histograms.map(\.name)).joined(separator: ", ")
            throw DQMIOError(.invalidArgument, "unknown ME kind \"\(text)\" (known: \(known))")
        }
    }
}

import Foundation
