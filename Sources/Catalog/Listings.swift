/// The tables the API lists, with the field names it uses (DIALS's where it has one).
extension Listing {
    public static let datasets = Listing(
        from: "datasets d",
        fields: [
            "dataset_id": "d.id", "dataset": "d.name", "era": "d.era", "data_tier": "d.data_tier",
            "primary_ds_name": "d.primary_ds_name", "processed_ds_name": "d.processed_ds_name",
            "processing_version": "d.processing_version", "last_modification_date": "d.last_modification_date",
        ],
        uniqueKey: "d.id")

    public static let files = Listing(
        from: "files f LEFT JOIN datasets d ON d.id = f.dataset_id",
        fields: [
            "dataset_id": "COALESCE(f.dataset_id, 0)", "dataset": "COALESCE(d.name, '')", "file_id": "f.id",
            "file_size": "f.size", "creation_date": "f.ctime", "last_modification_date": "f.mtime",
            "logical_file_name": "f.logical_file_name", "status": "f.status", "err_trace": "f.error",
            "path": "f.path", "storage_root": "f.storage_root", "indexed_at": "f.indexed_at", "era": "f.era",
            "primary_dataset": "f.primary_dataset", "processing": "f.processing", "data_tier": "f.data_tier",
            "guid": "f.guid", "runs": "f.runs", "lumisections": "f.lumisections", "mes": "f.mes",
            "mes_ingested": "f.mes_ingested", "missing": "f.missing",
        ],
        uniqueKey: "f.id")

    public static let runs = Listing(
        from: "runs r LEFT JOIN datasets d ON d.id = r.dataset_id",
        fields: ["dataset_id": "r.dataset_id", "dataset": "COALESCE(d.name, '')", "run_number": "r.run_number",
                 "ls_count": "r.ls_count"],
        uniqueKey: "r.id")

    public static let lumisections = Listing(
        from: "lumisections l LEFT JOIN datasets d ON d.id = l.dataset_id",
        fields: ["dataset_id": "l.dataset_id", "dataset": "COALESCE(d.name, '')", "run_number": "l.run_number",
                 "ls_number": "l.ls_number", "th1_count": "l.th1_count", "th2_count": "l.th2_count"],
        uniqueKey: "l.id")

    /// Lumisections whose TH1 and TH2 counts take only the MEs `ids` (a workspace's), counted row by row: a page
    /// holds at most 500 lumisections, each found through th1/th2's (run, LS) index.
    public static func lumisections(countingMEs ids: [Int64]) -> Listing {
        var fields = lumisections.fields
        let list = ids.isEmpty ? "NULL" : Catalog.inList(ids)
        for (field, table) in [("th1_count", "th1"), ("th2_count", "th2")] {
            fields[field] = """
                (SELECT count(*) FROM \(table) h JOIN files f ON f.id = h.file_id
                 WHERE h.run_number = l.run_number AND h.ls_number = l.ls_number AND COALESCE(f.dataset_id, 0) = l.dataset_id
                   AND h.me_id IN (\(list)))
                """
        }
        return Listing(from: lumisections.from, fields: fields, uniqueKey: lumisections.uniqueKey)
    }

    public static let monitoringElements = Listing(
        from: "monitoring_elements m",
        fields: ["me_id": "m.id", "me": "m.name", "kind": "m.kind", "dim": "m.dimension", "count": "m.count"],
        uniqueKey: "m.id")

    public static let th1 = histograms("th1", dimensions: ["x"])
    public static let th2 = histograms("th2", dimensions: ["x", "y"])

    private static func histograms(_ table: String, dimensions: [String]) -> Listing {
        var fields = [
            "id": "h.id", "run_number": "h.run_number", "ls_number": "h.ls_number", "me_id": "h.me_id",
            "file_id": "h.file_id", "entries": "h.entries", "storage": "h.storage", "contents": "h.contents",
        ]
        for axis in dimensions {
            for part in ["bins", "min", "max", "edges", "labels"] { fields["\(axis)_\(part)"] = "h.\(axis)_\(part)" }
        }
        return Listing(from: "\(table) h", fields: fields, uniqueKey: "h.id",
                       lookups: ["me": .meName, "kind": .meKind, "dataset": .dataset, "dataset_id": .datasetID])
    }

    public static let jobs = Listing(
        from: "jobs j",
        fields: [
            "id": "j.id", "queue": "j.queue", "kind": "j.kind", "state": "j.state", "attempts": "j.attempts",
            "progress_done": "j.progress_done", "progress_total": "j.progress_total", "result": "j.result",
            "error": "j.error", "created_at": "j.created_at", "started_at": "j.started_at", "finished_at": "j.finished_at",
        ],
        uniqueKey: "j.id")
}

extension Catalog {
    /// Histograms per subsystem (the first component of the ME name) in `th1` or `th2`, of the MEs `among` (nil: all).
    public func countBySubsystem(dimension: Int, among ids: Set<Int64>? = nil) async throws -> [(subsystem: String, count: Int64)] {
        var counts: [String: Int64] = [:]
        for row in try await database.query("SELECT name, count, id FROM monitoring_elements WHERE dimension = ? AND count > 0", [.of(dimension)]) {
            guard let name = row[0].text else { continue }
            if let ids, !ids.contains(row[2].int ?? -1) { continue }
            let subsystem = String(name.split(separator: "/", maxSplits: 1).first ?? "")
            counts[subsystem, default: 0] += row[1].int ?? 0
        }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Files per status, every status present (zero when none): the overview's bar chart.
    public func fileCountsByStatus() async throws -> [(status: FileStatus, count: Int64)] {
        var counts: [String: Int64] = [:]
        for row in try await database.query("SELECT status, count(*) FROM files GROUP BY status", []) {
            if let status = row[0].text { counts[status] = row[1].int ?? 0 }
        }
        return FileStatus.allCases.map { ($0, counts[$0.rawValue] ?? 0) }
    }

    /// Jobs per queue and state, for metrics.
    public func jobCounts() async throws -> [(queue: String, state: String, count: Int64)] {
        try await database.query("SELECT queue, state, count(*) FROM jobs GROUP BY queue, state ORDER BY queue, state", []).map {
            ($0[0].text ?? "", $0[1].text ?? "", $0[2].int ?? 0)
        }
    }
}
