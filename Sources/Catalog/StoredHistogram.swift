import DQMIO

/// A histogram as the catalog holds it, read back: identity, binning and exact contents (2D row by row).
public struct StoredHistogram: Sendable {
    public let fileID: Int64
    public let run: Int64
    public let lumi: Int64
    public let kind: String
    public let name: String
    public let entries: Double
    public let x: Binning
    public let y: Binning?
    public let values: [Double]
}

extension Catalog {
    /// Every histogram loaded from `fileID`, 1D then 2D, in load order.
    public func histograms(fileID: Int64) async throws -> [StoredHistogram] {
        let oneD = try await database.query("""
            SELECT h.run_number, h.ls_number, m.kind, m.name, h.entries, h.x_bins, h.x_min, h.x_max, h.x_edges, h.x_labels,
                   h.storage, h.contents FROM th1 h JOIN monitoring_elements m ON m.id = h.me_id WHERE h.file_id = ? ORDER BY h.id
            """, [.int(fileID)])
        let twoD = try await database.query("""
            SELECT h.run_number, h.ls_number, m.kind, m.name, h.entries, h.x_bins, h.x_min, h.x_max, h.x_edges, h.x_labels,
                   h.storage, h.contents, h.y_bins, h.y_min, h.y_max, h.y_edges, h.y_labels
            FROM th2 h JOIN monitoring_elements m ON m.id = h.me_id WHERE h.file_id = ? ORDER BY h.id
            """, [.int(fileID)])
        return try (oneD + twoD).map { row in
            guard let code = row[10].int, let blob = row[11].blob, let values = HistogramBlob.decode(blob, code: code) else {
                throw CatalogError("histogram row with unreadable contents")
            }
            return StoredHistogram(fileID: fileID, run: row[0].int ?? 0, lumi: row[1].int ?? 0, kind: row[2].text ?? "",
                                   name: row[3].text ?? "", entries: row[4].double ?? 0, x: try Self.axis(row, at: 5),
                                   y: row.count > 12 ? try Self.axis(row, at: 12) : nil, values: values)
        }
    }

    private static func axis(_ row: SQLRow, at index: Int) throws -> Binning {
        let edges = try StoredAxis.edges(from: row[index + 3])
        let labels = try StoredAxis.labels(from: row[index + 4])
        return Binning(bins: Int(row[index].int ?? 0), minimum: row[index + 1].double ?? 0,
                       maximum: row[index + 2].double ?? 0, edges: edges, labels: labels)
    }

    /// Row counts of the histogram tables and counters, for tests and summaries.
    public func counts() async throws -> (th1: Int, th2: Int, mes: Int, lumisections: Int, runs: Int) {
        func count(_ table: String) async throws -> Int {
            Int(try await database.query("SELECT count(*) FROM \(table)", []).first?.first?.int ?? 0)
        }
        return (try await count("th1"), try await count("th2"), try await count("monitoring_elements"),
                try await count("lumisections"), try await count("runs"))
    }
}
