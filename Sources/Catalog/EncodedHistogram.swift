import DQMIO

/// A monitor element as the catalog stores it: its th1 or th2 row, with encoded contents. The ETL makes these on
/// its reader thread, so compressing contents and building rows overlap the database's work instead of adding
/// to it; the loader only fills in the ME id, which needs the database.
public struct EncodedHistogram: Sendable {
    let name: String
    let kind: MonitorElementKind
    let isTwoDimensional: Bool
    /// The contents' bytes, for batching by size.
    public let size: Int
    /// The row in `Catalog.th1Columns` or `Catalog.th2Columns` order; the ME id is null until `assign(me:)`.
    private(set) var row: SQLRow
    private static let meColumn = 3

    public init(_ element: MonitorElement, fileID: Int64, encoder: HistogramBlob.Encoder) {
        name = element.name
        kind = element.kind
        isTwoDimensional = element.y != nil
        let (code, contents) = encoder.encode(element.values)
        size = contents.count
        row = [.int(fileID), .of(element.run), .of(element.lumi), .null]
        row += Self.axis(element.x)
        if let y = element.y { row += Self.axis(y) }
        row += [.double(element.entries), .int(code), .blob(contents)]
    }

    mutating func assign(me: Int64) { row[Self.meColumn] = .int(me) }

    private static func axis(_ binning: Binning) -> SQLRow {
        var labels: SQLValue = .null
        if let names = binning.labels {
            var text = ""
            JSON.appendList(names, to: &text, JSON.appendString)
            labels = .text(text)
        }
        return [.of(binning.bins), .double(binning.minimum), .double(binning.maximum),
                binning.edges.map { .blob(HistogramBlob.encode(edges: $0)) } ?? .null, labels]
    }
}
