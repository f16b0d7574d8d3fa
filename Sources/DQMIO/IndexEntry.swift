import ROOTIO

/// One row of the `Indices` tree: the entries `firstIndex...lastIndex` of the tree of `type` belong to
/// (`run`, `lumi`). Lumi 0 marks run-level MEs; type 1000 a lumisection without MEs.
public struct IndexEntry: Sendable, Equatable {
    public let run: UInt32
    public let lumi: UInt32
    public let processHistoryIndex: UInt32
    /// edm::Timestamp values: seconds since the epoch in the high 32 bits, microseconds in the low.
    public let beginTime: UInt64
    public let endTime: UInt64
    public let type: UInt32
    public let firstIndex: UInt64
    public let lastIndex: UInt64

    public var kind: MonitorElementKind? { MonitorElementKind(rawValue: type) }
    public var isRunLevel: Bool { lumi == 0 }
    public var meCount: UInt64 { kind == nil ? 0 : lastIndex - firstIndex + 1 }

    /// No tree holds 2^40 entries; larger numbers are corruption (and would not fit the readers' arithmetic).
    static let maximumEntry: UInt64 = 1 << 40

    /// Reads the whole Indices tree (one row per run/lumi/type: small even for large files).
    static func readAll(from file: ROOTFile) throws -> [IndexEntry] {
        let tree = try Tree.read(named: "Indices", from: file)
        func column<T>(_ name: String, _ decode: (inout Cursor) throws -> T) throws -> [T] {
            let values = try file.attributing {
                try ROOTError.framed("tree Indices") { try EntryReader.readAll(try tree.branch(name), from: file.source, decode: decode) }
            }
            guard values.count == Int(tree.entries) else {
                throw DQMIOError(.layout, "Indices branch \(name) has \(values.count) entries, the tree \(tree.entries)", path: file.path)
            }
            return values
        }
        let runs = try column("Run") { try $0.u32() }
        let lumis = try column("Lumi") { try $0.u32() }
        let histories = try column("ProcessHistoryIndex") { try $0.u32() }
        let begins = try column("BeginTime") { try $0.u64() }
        let ends = try column("EndTime") { try $0.u64() }
        let types = try column("Type") { try $0.u32() }
        let firsts = try column("FirstIndex") { try $0.u64() }
        let lasts = try column("LastIndex") { try $0.u64() }
        var rows: [IndexEntry] = []
        rows.reserveCapacity(runs.count)
        // A kind's rows name disjoint entries of its tree, so together at most `maximumEntry` of them; checking it
        // keeps every sum of ME counts far from overflowing.
        var entriesPerType: [UInt32: UInt64] = [:]
        for i in 0..<runs.count {
            let row = IndexEntry(run: runs[i], lumi: lumis[i], processHistoryIndex: histories[i], beginTime: begins[i],
                                 endTime: ends[i], type: types[i], firstIndex: firsts[i], lastIndex: lasts[i])
            guard row.kind != nil || row.type == MonitorElementKind.emptyLumiType else {
                throw DQMIOError(.layout, "Indices row \(i) has unknown Type \(row.type)", path: file.path)
            }
            guard row.firstIndex <= Self.maximumEntry, row.lastIndex <= Self.maximumEntry else {
                throw DQMIOError(.layout, "Indices row \(i) has impossible entry numbers \(row.firstIndex)...\(row.lastIndex)", path: file.path)
            }
            guard row.kind == nil || row.firstIndex <= row.lastIndex else {
                throw DQMIOError(.layout, "Indices row \(i) has FirstIndex \(row.firstIndex) > LastIndex \(row.lastIndex)", path: file.path)
            }
            let entries = entriesPerType[row.type, default: 0] + row.meCount
            guard entries <= Self.maximumEntry else {
                throw DQMIOError(.layout, "Indices rows up to \(i) name \(entries) entries of Type \(row.type), more than any tree holds", path: file.path)
            }
            entriesPerType[row.type] = entries
            rows.append(row)
        }
        return rows
    }
}
