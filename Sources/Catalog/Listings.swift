/// The tables the API lists, each with the columns its rows have.
extension Listing {
    public enum Datasets {
        public static let id = Column("d.id")
        public static let name = Column("d.name")
        public static let era = Column("d.era")
        public static let dataTier = Column("d.data_tier")
        public static let primaryDataset = Column("d.primary_ds_name")
        public static let processedDataset = Column("d.processed_ds_name")
        public static let processingVersion = Column("d.processing_version")
        /// The newest file's mtime.
        public static let lastModified = Column("d.last_modification_date")
    }

    public static let datasets = Listing(from: "datasets d", uniqueKey: Datasets.id)

    public enum Files {
        public static let id = Column("f.id")
        /// 0 for a file whose path names no dataset.
        public static let datasetID = Column("COALESCE(f.dataset_id, 0)")
        /// "" for a file whose path names no dataset.
        public static let datasetName = Column("COALESCE(d.name, '')")
        public static let size = Column("f.size")
        public static let ctime = Column("f.ctime")
        public static let mtime = Column("f.mtime")
        public static let logicalFileName = Column("f.logical_file_name")
        public static let status = Column("f.status")
        public static let error = Column("f.error")
        public static let path = Column("f.path")
        public static let storageRoot = Column("f.storage_root")
        public static let indexedAt = Column("f.indexed_at")
        public static let era = Column("f.era")
        public static let primaryDataset = Column("f.primary_dataset")
        public static let processing = Column("f.processing")
        public static let dataTier = Column("f.data_tier")
        public static let guid = Column("f.guid")
        /// Comma-separated run numbers.
        public static let runs = Column("f.runs")
        public static let lumisections = Column("f.lumisections")
        public static let mes = Column("f.mes")
        public static let mesIngested = Column("f.mes_ingested")
        public static let missing = Column("f.missing")
    }

    public static let files = Listing(from: "files f LEFT JOIN datasets d ON d.id = f.dataset_id", uniqueKey: Files.id)

    public enum Runs {
        public static let id = Column("r.id")
        public static let datasetID = Column("r.dataset_id")
        public static let datasetName = Column("COALESCE(d.name, '')")
        public static let runNumber = Column("r.run_number")
        public static let lsCount = Column("r.ls_count")
    }

    public static let runs = Listing(from: "runs r LEFT JOIN datasets d ON d.id = r.dataset_id", uniqueKey: Runs.id)

    public enum Lumisections {
        public static let id = Column("l.id")
        public static let datasetID = Column("l.dataset_id")
        public static let datasetName = Column("COALESCE(d.name, '')")
        public static let runNumber = Column("l.run_number")
        public static let lsNumber = Column("l.ls_number")
        public static let th1Count = Column("l.th1_count")
        public static let th2Count = Column("l.th2_count")
    }

    public static let lumisections = Listing(from: "lumisections l LEFT JOIN datasets d ON d.id = l.dataset_id",
                                             uniqueKey: Lumisections.id)

    /// Lumisections whose TH1 and TH2 counts take only the MEs `ids` (a workspace's), counted row by row: a page
    /// holds at most 500 lumisections, each found through th1/th2's (run, LS) index.
    public static func lumisections(countingMEs ids: [Int64]) -> Listing {
        let list = ids.isEmpty ? "NULL" : Catalog.inList(ids)
        var overrides: [Column: String] = [:]
        for (column, table) in [(Lumisections.th1Count, "th1"), (Lumisections.th2Count, "th2")] {
            overrides[column] = """
                (SELECT count(*) FROM \(table) h JOIN files f ON f.id = h.file_id
                 WHERE h.run_number = l.run_number AND h.ls_number = l.ls_number AND COALESCE(f.dataset_id, 0) = l.dataset_id
                   AND h.me_id IN (\(list)))
                """
        }
        return Listing(from: lumisections.from, uniqueKey: Lumisections.id, overrides: overrides)
    }

    public enum MonitorElements {
        public static let id = Column("m.id")
        public static let name = Column("m.name")
        public static let kind = Column("m.kind")
        public static let dimension = Column("m.dimension")
        /// Loaded histograms of the ME, over every dataset.
        public static let count = Column("m.count")
    }

    public static let monitoringElements = Listing(from: "monitoring_elements m", uniqueKey: MonitorElements.id)

    /// The columns of th1 and th2 (one alias, `h`, for both).
    public enum Histograms {
        public static let id = Column("h.id")
        public static let runNumber = Column("h.run_number")
        public static let lsNumber = Column("h.ls_number")
        public static let meID = Column("h.me_id")
        public static let fileID = Column("h.file_id")
        public static let entries = Column("h.entries")
        /// The contents' codec, and the contents.
        public static let storage = Column("h.storage")
        public static let contents = Column("h.contents")
        public static let x = Axis("x")
        public static let y = Axis("y")
        /// Filled in from the name cache (a page reads th1/th2 alone).
        public static let meName = Column(lookup: .meName)
        public static let meKind = Column(lookup: .meKind)
        public static let datasetName = Column(lookup: .dataset)
        public static let datasetID = Column(lookup: .datasetID)

        public struct Axis: Sendable {
            public let bins: Column
            public let min: Column
            public let max: Column
            public let edges: Column
            public let labels: Column

            init(_ name: String) {
                bins = Column("h.\(name)_bins")
                min = Column("h.\(name)_min")
                max = Column("h.\(name)_max")
                edges = Column("h.\(name)_edges")
                labels = Column("h.\(name)_labels")
            }
        }
    }

    public static let th1 = Listing(from: "th1 h", uniqueKey: Histograms.id)
    public static let th2 = Listing(from: "th2 h", uniqueKey: Histograms.id)

    public enum Jobs {
        public static let id = Column("j.id")
        public static let queue = Column("j.queue")
        public static let kind = Column("j.kind")
        public static let state = Column("j.state")
        public static let attempts = Column("j.attempts")
        public static let progressDone = Column("j.progress_done")
        public static let progressTotal = Column("j.progress_total")
        public static let result = Column("j.result")
        public static let error = Column("j.error")
        public static let createdAt = Column("j.created_at")
        public static let startedAt = Column("j.started_at")
        public static let finishedAt = Column("j.finished_at")
    }

    public static let jobs = Listing(from: "jobs j", uniqueKey: Jobs.id)
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

    /// Files matching `conditions` per status, every status present (zero when none): the overview's bar chart
    /// (with a workspace's conditions) and the metrics.
    public func fileCountsByStatus(conditions: [Condition]) async throws -> [(status: FileStatus, count: Int64)] {
        var counts: [String: Int64] = [:]
        for (value, count) in try await self.counts(.files, conditions: conditions, by: Listing.Files.status) {
            if let status = value.text { counts[status] = count }
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
