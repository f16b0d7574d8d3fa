import DQMIO

/// Monitor elements as the catalog stores them: th1 and th2 rows with encoded contents, prepared for the
/// database's bulk load. The ETL builds these on its reader thread, so compressing contents and formatting rows
/// overlap the database's work instead of adding to it; the loader only supplies each row's ME id, which needs
/// the database.
public struct HistogramBatch: Sendable {
    /// The batch's distinct ME names, with the kind each was first seen as.
    private(set) var names: [String] = []
    private(set) var kinds: [MonitorElementKind] = []
    private var nameIndex: [String: Int] = [:]
    /// Rows in `Catalog.th1Columns` / `th2Columns` order but the ME id (the last column), and each row's index in `names`.
    private(set) var th1: BulkRows
    private(set) var th2: BulkRows
    private(set) var th1Names: [Int] = []
    private(set) var th2Names: [Int] = []
    /// How many th1 and th2 rows each lumisection has in the batch, for the catalog's counters.
    private(set) var lumisectionCounts: [Lumisection: (th1: Int, th2: Int)] = [:]

    struct Lumisection: Hashable {
        let run: UInt32
        let lumi: UInt32
    }

    public init(for dialect: SQLDialect) {
        th1 = BulkRows(for: dialect)
        th2 = BulkRows(for: dialect)
    }

    /// Empties the batch but keeps its memory (see `BulkRows.removeAll`).
    public mutating func removeAll() {
        names.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
        nameIndex.removeAll(keepingCapacity: true)
        th1.removeAll()
        th2.removeAll()
        th1Names.removeAll(keepingCapacity: true)
        th2Names.removeAll(keepingCapacity: true)
        lumisectionCounts.removeAll(keepingCapacity: true)
    }

    public var count: Int { th1Names.count + th2Names.count }
    public var isEmpty: Bool { count == 0 }
    /// Bytes of prepared rows, for batching by size.
    public var byteCount: Int { th1.byteCount + th2.byteCount }

    public mutating func append(_ element: MonitorElement, fileID: Int64, encoder: HistogramBlob.Encoder) {
        let (code, contents) = encoder.encode(element.values)
        var row: SQLRow = [.int(fileID), .of(element.run), .of(element.lumi)]
        row += Self.axis(element.x)
        if let y = element.y { row += Self.axis(y) }
        row += [.double(element.entries), .int(code), .blob(contents)]
        let name = nameNumber(element.name, kind: element.kind)
        let lumisection = Lumisection(run: element.run, lumi: element.lumi)
        if element.y == nil {
            th1.append(row)
            th1Names.append(name)
            lumisectionCounts[lumisection, default: (0, 0)].th1 += 1
        } else {
            th2.append(row)
            th2Names.append(name)
            lumisectionCounts[lumisection, default: (0, 0)].th2 += 1
        }
    }

    private mutating func nameNumber(_ name: String, kind: MonitorElementKind) -> Int {
        if let number = nameIndex[name] { return number }
        names.append(StoredText.clean(name))
        kinds.append(kind)
        nameIndex[name] = names.count - 1
        return names.count - 1
    }

    private static func axis(_ binning: Binning) -> SQLRow {
        [.of(binning.bins), .double(binning.minimum), .double(binning.maximum),
         binning.edges.map { .blob(HistogramBlob.encode(edges: $0)) } ?? .null, binning.labels.map(StoredAxis.labels) ?? .null]
    }
}
