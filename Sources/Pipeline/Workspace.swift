import DQMIO

/// A workspace, as DIALS partitions its users (csc, ecal, tracker, …): the MEs it looks at — name patterns in the
/// `--me` syntax (`re:REGEX`, a glob, or a prefix), any of which may match — and, optionally, the datasets.
public struct Workspace: Sendable {
    public let name: String
    /// Empty only for the implicit workspace, which selects every ME.
    public let mePatterns: [NamePattern]
    /// nil: every dataset.
    public let datasetPatterns: [DatasetPattern]?

    public init(name: String, mePatterns: [NamePattern], datasetPatterns: [DatasetPattern]? = nil) {
        self.name = name
        self.mePatterns = mePatterns
        self.datasetPatterns = datasetPatterns
    }

    public func selects(me name: String) -> Bool {
        mePatterns.isEmpty || mePatterns.contains { $0.matches(name) }
    }

    public func selects(dataset name: String) -> Bool {
        datasetPatterns.map { patterns in patterns.contains { $0.matches(name) } } ?? true
    }

    /// Names go into a request header and URLs: letters, digits, `_`, `-` and `.`, at most 64.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "_-.".utf8.contains(byte)
        }
    }
}
