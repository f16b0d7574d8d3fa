import DQMIO

/// What the export reads of th1/th2: the selected MEs with their binnings, then per ME the keys of its rows, then
/// their contents a chunk at a time, so that memory holds one ME's row keys and one chunk of contents whatever the
/// selection's size.
extension Catalog {
    /// An ME of a selection with one of its binnings: how many rows have it and the runs they span.
    public struct ExportGroup: Sendable {
        public let meID: Int64
        public let name: String
        public let kind: String
        public let x: Binning
        public let y: Binning?
        public let rows: Int64
        public let firstRun: Int64
        public let lastRun: Int64
    }

    /// One row of an ME in the export's order, without its contents.
    public struct ExportRow: Sendable {
        public let id: Int64
        public let fileID: Int64
        public let datasetID: Int64
        public let datasetName: String
        public let run: Int64
        public let lumi: Int64
        public let entries: Double
    }

    /// The MEs of `listing` (th1 or th2) that rows matching `conditions` hold, per binning, in ME name order (an
    /// ME re-binned inside the selection appears once per binning).
    public func exportGroups(_ listing: Listing, twoDimensional: Bool, conditions: [Condition]) async throws -> [ExportGroup] {
        let axes = twoDimensional ? [Listing.Histograms.x, Listing.Histograms.y] : [Listing.Histograms.x]
        let binning = axes.flatMap { [$0.bins, $0.min, $0.max, $0.edges, $0.labels] }.map(listing.sql)
        let (clauses, binds) = clauses(listing, conditions)
        let rows = try await database.query("""
            SELECT h.me_id, \(binning.joined(separator: ", ")), count(*), min(h.run_number), max(h.run_number)
            FROM \(listing.from) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
            GROUP BY h.me_id, \(binning.joined(separator: ", "))
            """, binds)
        let names = try await self.names.monitorElements(rows.compactMap { $0.first?.int }, on: database)
        let groups = try rows.map { row in
            guard let id = row[0].int, let me = names[id] else { throw CatalogError("histogram rows of an unknown ME") }
            let counts = 1 + 5 * axes.count
            return ExportGroup(meID: id, name: me.name, kind: me.kind, x: try Self.exportAxis(row, at: 1),
                               y: twoDimensional ? try Self.exportAxis(row, at: 6) : nil, rows: row[counts].int ?? 0,
                               firstRun: row[counts + 1].int ?? 0, lastRun: row[counts + 2].int ?? 0)
        }
        return groups.sorted { ($0.name, $0.firstRun) < ($1.name, $1.firstRun) }
    }

    private static func exportAxis(_ row: SQLRow, at index: Int) throws -> Binning {
        Binning(bins: Int(row[index].int ?? 0), minimum: row[index + 1].double ?? 0, maximum: row[index + 2].double ?? 0,
                edges: try StoredAxis.edges(from: row[index + 3]), labels: try StoredAxis.labels(from: row[index + 4]))
    }

    /// The rows of ME `meID` matching `conditions`, ordered by dataset id, run, LS (then id).
    public func exportRows(_ listing: Listing, meID: Int64, conditions: [Condition]) async throws -> [ExportRow] {
        let (clauses, binds) = clauses(listing, conditions + [Condition(Listing.Histograms.meID, .equal(.int(meID)))])
        let rows = try await database.query("""
            SELECT h.id, h.file_id, h.run_number, h.ls_number, h.entries FROM \(listing.from)
            WHERE \(clauses.joined(separator: " AND "))
            """, binds)
        let datasets = try await names.datasets(ofFiles: Array(Set(rows.compactMap { $0[1].int })), on: database)
        let keys = rows.map { row in
            let fileID = row[1].int ?? 0
            let dataset = datasets[fileID]
            return ExportRow(id: row[0].int ?? 0, fileID: fileID, datasetID: dataset?.id ?? 0, datasetName: dataset?.name ?? "",
                             run: row[2].int ?? 0, lumi: row[3].int ?? 0, entries: row[4].double ?? 0)
        }
        return keys.sorted { ($0.datasetID, $0.run, $0.lumi, $0.id) < ($1.datasetID, $1.run, $1.lumi, $1.id) }
    }

    /// The bin contents of histograms `ids` of `listing`, in the order of `ids`, each exactly `bins` numbers.
    public func exportContents(_ listing: Listing, ids: [Int64], bins: Int) async throws -> [[Double]] {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.query("""
            SELECT h.id, h.storage, h.contents FROM \(listing.from) WHERE h.id IN (\(Self.inList(ids)))
            """, [])
        var byID: [Int64: [Double]] = [:]
        byID.reserveCapacity(rows.count)
        for row in rows {
            guard let id = row[0].int, let code = row[1].int, let blob = row[2].blob,
                  let values = HistogramBlob.decode(blob, code: code) else {
                throw CatalogError("histogram \(row[0].int ?? 0) has unreadable contents")
            }
            guard values.count == bins else { throw CatalogError("histogram \(id) holds \(values.count) bins, its binning \(bins)") }
            byID[id] = values
        }
        return try ids.map { id in
            guard let values = byID[id] else { throw CatalogError("histogram \(id) vanished during the export") }
            return values
        }
    }
}
