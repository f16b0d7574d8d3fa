import ROOTIO

/// What `inspect` reports about a file, from its header, Indices and basket headers — no histogram is decoded.
public struct FileSummary: Sendable, Codable {
    public struct KindCount: Sendable, Codable {
        public let kind: String
        public let perLumi: UInt64
        public let runLevel: UInt64
    }

    public let path: String
    public let size: Int64
    public let rootVersion: String
    public let guid: String?
    /// The file's compression setting (algorithm × 100 + level) and the codecs its baskets actually use.
    public let compressionSetting: Int32
    public let codecs: [String]
    public let runs: [UInt32]
    /// Distinct (run, lumi > 0), empty lumisections included.
    public let lumisections: Int
    public let emptyLumisections: Int
    public let monitorElements: [KindCount]
    public let firstTime: String?
    public let lastTime: String?

    private enum CodingKeys: String, CodingKey {
        case path, size, rootVersion, guid, compressionSetting, codecs, runs, lumisections, emptyLumisections
        case monitorElements, firstTime, lastTime
    }

    /// Every key, null when unknown (a file without a GUID or times): scripts reading `inspect --json` expect them
    /// all, and the synthesised encoding leaves nil ones out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(size, forKey: .size)
        try container.encode(rootVersion, forKey: .rootVersion)
        try container.encode(guid, forKey: .guid)
        try container.encode(compressionSetting, forKey: .compressionSetting)
        try container.encode(codecs, forKey: .codecs)
        try container.encode(runs, forKey: .runs)
        try container.encode(lumisections, forKey: .lumisections)
        try container.encode(emptyLumisections, forKey: .emptyLumisections)
        try container.encode(monitorElements, forKey: .monitorElements)
        try container.encode(firstTime, forKey: .firstTime)
        try container.encode(lastTime, forKey: .lastTime)
    }

    public init(_ file: DQMIOFile) throws {
        path = file.path
        size = file.root.source.size
        rootVersion = file.root.header.rootVersion
        guid = file.guid
        compressionSetting = file.root.header.compression
        codecs = try Self.codecsInUse(file).map(\.rawValue)
        let rows = file.indices
        runs = Array(Set(rows.map(\.run))).sorted()
        lumisections = file.lumisections.count
        let withMEs = Set(rows.filter { !$0.isRunLevel && $0.kind != nil }.map { UInt64($0.run) << 32 | UInt64($0.lumi) })
        emptyLumisections = lumisections - withMEs.count
        monitorElements = MonitorElementKind.allCases.compactMap { kind in
            let kindRows = rows.filter { $0.kind == kind }
            guard !kindRows.isEmpty else { return nil }
            let perLumi = kindRows.filter { !$0.isRunLevel }.reduce(0) { $0 + $1.meCount }
            let runLevel = kindRows.filter(\.isRunLevel).reduce(0) { $0 + $1.meCount }
            return KindCount(kind: kind.name, perLumi: perLumi, runLevel: runLevel)
        }
        let times = rows.flatMap { [$0.beginTime, $0.endTime] }.filter { $0 != 0 }.map(Timestamp.init)
        firstTime = times.min()?.iso8601
        lastTime = times.max()?.iso8601
    }

    /// The codec of every basket of the Indices and ME trees, read from each block header (two small reads per
    /// basket, no inflation).
    private static func codecsInUse(_ file: DQMIOFile) throws -> [Codec] {
        var seen = Set<Codec>()
        let names = ["Indices"] + MonitorElementKind.allCases.map(\.treeName)
        let source = file.root.source
        try file.root.attributing {
            for name in names where file.root.root.keys.contains(where: { $0.name == name }) {
                let tree = try Tree.read(named: name, from: file.root)
                for branch in tree.branches {
                    for case .stored(let location) in branch.baskets {
                        let key = try Key.read(at: location.seek, from: source)
                        guard key.isCompressed else { seen.insert(.none); continue }
                        let head = try source.read(at: location.seek + Int64(key.keyLength), count: min(9, Int(key.nbytes) - Int(key.keyLength)))
                        guard let codec = Decompressor.codec(ofFirstBlock: head.bytes[...]) else {
                            throw ROOTError(.malformed, "basket of \(name)/\(branch.name) has no known compression header", offset: head.offset)
                        }
                        seen.insert(codec)
                    }
                }
            }
        }
        return seen.sorted()
    }
}
