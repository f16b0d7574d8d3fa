import Foundation

/// Dataset metadata read from where a file lives. CMS stores DQMIO files as
/// `/store/data/<era>/<primary dataset>/<tier>/<processing>/000/RRR/RRR/00000/<GUID>.root`; other layouts fall
/// back to the DQM naming of the file itself, `DQM_V0001_R000380001__<PD>__<era>-<processing>__<tier>.root`.
public struct CMSPath: Sendable, Equatable {
    public var era: String?
    public var primaryDataset: String?
    public var dataTier: String?
    public var processing: String?

    public init(era: String? = nil, primaryDataset: String? = nil, dataTier: String? = nil, processing: String? = nil) {
        self.era = era
        self.primaryDataset = primaryDataset
        self.dataTier = dataTier
        self.processing = processing
    }

    public static func parse(_ path: String) -> CMSPath {
        let parts = path.split(separator: "/").map(String.init)
        if let store = parts.lastIndex(of: "store"), store + 5 < parts.count - 1 {
            let era = parts[store + 2], dataset = parts[store + 3], tier = parts[store + 4], processing = parts[store + 5]
            if !era.isEmpty, !dataset.isEmpty, tier.uppercased() == tier {
                return CMSPath(era: era, primaryDataset: dataset, dataTier: tier, processing: processing)
            }
        }
        return fromFileName(parts.last ?? "")
    }

    private static let dqmName = try? NSRegularExpression(pattern: #"^DQM_V\d+_R\d+__(.+?)__([^_]+?)-(.+?)__([A-Za-z0-9]+)\.root$"#)

    private static func fromFileName(_ name: String) -> CMSPath {
        let range = NSRange(name.startIndex..., in: name)
        guard let match = dqmName?.firstMatch(in: name, range: range) else { return CMSPath() }
        func group(_ index: Int) -> String? { Range(match.range(at: index), in: name).map { String(name[$0]) } }
        return CMSPath(era: group(2), primaryDataset: group(1), dataTier: group(4), processing: group(3))
    }
}
