import Catalog
import DQMIO

/// The API's resources, named as in DIALS.
enum Resources {
        private static let fileFilters: [Resource.Filter] = {
        var filters: [Resource.Filter] = [
            Resource.Filter(parameter: Parameter(name: "path_contains", kind: .string, summary: "Path contains this text.")) { value, _ in
                [Condition("path", .contains(value.string ?? ""))]
            },
            Resource.Filter(parameter: Parameter.integer("run_number", "Files holding this run.")) { value, _ in
                [Condition("id", .hasRun(value.integer ?? 0))]
            },
            Resource.Filter(parameter: Parameter.integer("min_size", "Size in bytes at least.")) { value, _ in
                [Condition("size", .atLeast(value.sqlValue))]
            },
        ]
        filters += Resource.Filter.field("era", "Era, e.g. Run2024F.", kind: .string)
        filters += Resource.Filter.field("primary_dataset", "Primary dataset, e.g. ZeroBias.", kind: .string)
        filters += Resource.Filter.field("status", "Processing status.", kind: .choice(FileStatus.allCases.map(\.rawValue)))
        filters += Resource.Filter.field("missing", "Vanished from storage (true) or present (false).", kind: .boolean)
        return filters
    }()

    static let fileIndex = Resource(
        name: "file-index", summary: "Indexed DQMIO files, with the fields of `mlplayground files --json`.",
        listing: .files,
        properties: [
            ("id", Schema.integer), ("path", Schema.string), ("storage_root", Schema.string), ("size", Schema.integer),
            ("mtime", Schema.number), ("indexed_at", Schema.nullable("number")), ("era", Schema.nullable("string")),
            ("primary_dataset", Schema.nullable("string")), ("processing", Schema.nullable("string")),
            ("data_tier", Schema.nullable("string")), ("dataset", Schema.nullable("string")), ("guid", Schema.nullable("string")),
            ("runs", Schema.array(Schema.integer)), ("lumisections", Schema.integer), ("mes", Schema.integer),
            ("mes_ingested", Schema.integer), ("status", Schema.choice(FileStatus.allCases.map(\.rawValue))),
            ("missing", Schema.boolean), ("error", Schema.nullable("string")),
        ],
        readFields: ["id", "path", "storage_root", "size", "mtime", "indexed_at", "era", "primary_dataset", "processing",
                     "data_tier", "dataset", "guid", "runs", "lumisections", "mes", "mes_ingested", "status", "missing", "error"],
        filters: fileFilters,
        orderings: [("id", [OrderKey("id")]), ("-id", [OrderKey("id", descending: true)]), ("path", [OrderKey("path")]),
                    ("-path", [OrderKey("path", descending: true)]), ("size", [OrderKey("size")]),
                    ("-size", [OrderKey("size", descending: true)]), ("mtime", [OrderKey("mtime")]),
                    ("-mtime", [OrderKey("mtime", descending: true)])],
        detail: (Parameter.path("id", "File id."), "id")
    ) { row in
        [("id", int(row["id"])), ("path", text(row["path"])), ("storage_root", text(row["storage_root"])),
         ("size", int(row["size"])), ("mtime", number(row["mtime"])), ("indexed_at", number(row["indexed_at"])),
         ("era", text(row["era"])), ("primary_dataset", text(row["primary_dataset"])), ("processing", text(row["processing"])),
         ("data_tier", text(row["data_tier"])), ("dataset", text(row["dataset"])), ("guid", text(row["guid"])),
         ("runs", .array((row["runs"]?.text ?? "").split(separator: ",").compactMap { Int64($0) }.map(JSONValue.int))),
         ("lumisections", int(row["lumisections"])), ("mes", int(row["mes"])), ("mes_ingested", int(row["mes_ingested"])),
         ("status", text(row["status"])), ("missing", .bool(row["missing"]?.bool ?? false)), ("error", text(row["error"]))]
    }

    static let runs = Resource(
        name: "runs", summary: "Runs with loaded lumisections.", listing: .runs,
        properties: [("run_number", Schema.integer), ("ls_count", Schema.integer)],
        readFields: ["run_number", "ls_count"],
        filters: Resource.Filter.field("run_number", "Run number.", ranged: true),
        orderings: [("run_number", [OrderKey("run_number")]), ("-run_number", [OrderKey("run_number", descending: true)])],
        detail: (Parameter.path("run", "Run number."), "run_number")
    ) { row in
        [("run_number", int(row["run_number"])), ("ls_count", int(row["ls_count"]))]
    }

    static let lumisections = Resource(
        name: "lumisections", summary: "Lumisections with their TH1 and TH2 counts.", listing: .lumisections,
        properties: [("run_number", Schema.integer), ("ls_number", Schema.integer), ("th1_count", Schema.integer),
                     ("th2_count", Schema.integer)],
        readFields: ["run_number", "ls_number", "th1_count", "th2_count"],
        filters: Resource.Filter.field("run_number", "Run number.", ranged: true)
            + Resource.Filter.field("ls_number", "Lumisection number.", ranged: true),
        orderings: [("run_number", [])],
        detail: nil
    ) { row in
        [("run_number", int(row["run_number"])), ("ls_number", int(row["ls_number"])),
         ("th1_count", int(row["th1_count"])), ("th2_count", int(row["th2_count"]))]
    }

    static let monitorElements = Resource(
        name: "mes", summary: "Monitor element names with their kind, dimension and number of loaded histograms.",
        listing: .monitoringElements,
        properties: [("id", Schema.integer), ("me", Schema.string), ("kind", Schema.string), ("dimension", Schema.integer),
                     ("count", Schema.integer)],
        readFields: ["id", "me", "kind", "dimension", "count"],
        filters: Resource.Filter.field("me", "Exact ME name.", kind: .string) + [MEFilters.regex(field: "id")]
            + Resource.Filter.field("kind", "ME kind.", kind: .choice(MonitorElementKind.histograms.map(\.name)))
            + Resource.Filter.field("dimension", "1 or 2.", kind: .integer(minimum: 1, maximum: 2)),
        orderings: [("id", [OrderKey("id")]), ("me", [OrderKey("me")])],
        detail: (Parameter.path("id", "ME id."), "id")
    ) { row in
        [("id", int(row["id"])), ("me", text(row["me"])), ("kind", text(row["kind"])), ("dimension", int(row["dimension"])),
         ("count", int(row["count"]))]
    }

    static let th1 = histograms(name: "th1", listing: .th1, axes: ["x"], kinds: MonitorElementKind.oneDimensional)
    static let th2 = histograms(name: "th2", listing: .th2, axes: ["x", "y"], kinds: MonitorElementKind.twoDimensional)

    private static func histograms(name: String, listing: Listing, axes: [String], kinds: [MonitorElementKind]) -> Resource {
        var properties: [(String, JSONValue)] = [
            ("id", Schema.integer), ("run_number", Schema.integer), ("ls_number", Schema.integer), ("me", Schema.string),
            ("me_id", Schema.integer), ("kind", Schema.string), ("file_id", Schema.integer), ("dataset", Schema.nullable("string")),
        ]
        var readFields = ["id", "run_number", "ls_number", "me", "me_id", "kind", "file_id", "dataset", "entries", "storage", "contents"]
        for axis in axes {
            properties += [("\(axis)_min", Schema.number), ("\(axis)_max", Schema.number), ("\(axis)_bin", Schema.integer),
                           ("\(axis)_edges", Schema.array(Schema.number, nullable: true)),
                           ("\(axis)_labels", Schema.array(Schema.string, nullable: true))]
            readFields += ["\(axis)_bins", "\(axis)_min", "\(axis)_max", "\(axis)_edges", "\(axis)_labels"]
        }
        let axisFields = axes.map(AxisFields.init)
        let cell = JSONValue.object([("type", .array([.string("number"), .string("null")]))])
        properties += [("entries", Schema.number), ("data", Schema.array(axes.count == 1 ? cell : Schema.array(cell)))]
        return Resource(
            name: name,
            summary: "Per-lumisection \(axes.count == 1 ? "1D" : "2D") histograms; `data` holds the in-range bins as exact doubles"
                + (axes.count == 1 ? "." : ", one row per y bin from the lowest."),
            listing: listing, properties: properties, readFields: readFields,
            filters: Resource.Filter.field("run_number", "Run number.", ranged: true)
                + Resource.Filter.field("ls_number", "Lumisection number.", ranged: true)
                + [MEFilters.name(field: "me_id"), MEFilters.regex(field: "me_id"), MEFilters.kind(field: "me_id", among: kinds),
                   MEFilters.dataset(field: "file_id")]
                + Resource.Filter.field("file_id", "File id."),
            orderings: [("id", [OrderKey("id")])],
            detail: (Parameter.path("id", "Histogram id."), "id")
        ) { row in
            var item: [(String, JSONValue)] = [
                ("id", int(row["id"])), ("run_number", int(row["run_number"])), ("ls_number", int(row["ls_number"])),
                ("me", text(row["me"])), ("me_id", int(row["me_id"])), ("kind", text(row["kind"])),
                ("file_id", int(row["file_id"])), ("dataset", text(row["dataset"])),
            ]
            item.reserveCapacity(item.count + 5 * axisFields.count + 2)
            var bins: [Int] = []
            for axis in axisFields {
                let count = Int(row[axis.bins]?.int ?? 0)
                bins.append(count)
                item += [(axis.min, number(row[axis.min])), (axis.max, number(row[axis.max])), (axis.bin, .int(Int64(count))),
                         (axis.edges, try edges(row[axis.edges])), (axis.labels, try labels(row[axis.labels]))]
            }
            item += [("entries", number(row["entries"])), ("data", try data(row, bins: bins))]
            return item
        }
    }

    static let jobs = Resource(
        name: "jobs", summary: "Jobs of the durable queues (indexing and ETL), newest first.", listing: .jobs,
        properties: [
            ("id", Schema.integer), ("queue", Schema.string), ("kind", Schema.string),
            ("state", Schema.choice(JobState.allCases.map(\.rawValue))), ("attempts", Schema.integer),
            ("progress", Schema.object([("done", Schema.integer), ("total", Schema.integer)])),
            ("result", Schema.nullable("string")), ("error", Schema.nullable("string")), ("created_at", Schema.number),
            ("started_at", Schema.nullable("number")), ("finished_at", Schema.nullable("number")),
        ],
        readFields: ["id", "queue", "kind", "state", "attempts", "progress_done", "progress_total", "result", "error",
                     "created_at", "started_at", "finished_at"],
        filters: Resource.Filter.field("queue", "Queue name.", kind: .choice(["dqmio_file_indexer_queue", "dqmio_etl_queue"]))
            + Resource.Filter.field("state", "Job state.", kind: .choice(JobState.allCases.map(\.rawValue))),
        orderings: [("-id", [OrderKey("id", descending: true)]), ("id", [OrderKey("id")])],
        detail: (Parameter.path("id", "Job id."), "id")
    ) { row in
        [("id", int(row["id"])), ("queue", text(row["queue"])), ("kind", text(row["kind"])), ("state", text(row["state"])),
         ("attempts", int(row["attempts"])),
         ("progress", .object([("done", int(row["progress_done"])), ("total", int(row["progress_total"]))])),
         ("result", text(row["result"])), ("error", text(row["error"])), ("created_at", number(row["created_at"])),
         ("started_at", number(row["started_at"])), ("finished_at", number(row["finished_at"]))]
    }

    /// The field names of one axis of a histogram row (the stored bin count `x_bins` is served as `x_bin`), made once
    /// rather than per row.
    private struct AxisFields {
        let bins: String, bin: String, min: String, max: String, edges: String, labels: String

        init(_ axis: String) {
            (bins, bin, min, max, edges, labels) = ("\(axis)_bins", "\(axis)_bin", "\(axis)_min", "\(axis)_max", "\(axis)_edges", "\(axis)_labels")
        }
    }

    // MARK: row values

    private static func int(_ value: SQLValue?) -> JSONValue { .of(value?.int) }
    private static func number(_ value: SQLValue?) -> JSONValue { .of(value?.double) }
    private static func text(_ value: SQLValue?) -> JSONValue { .of(value?.text) }

    private static func edges(_ value: SQLValue?) throws -> JSONValue {
        try StoredAxis.edges(from: value).map(JSONValue.numbers) ?? .null
    }

    private static func labels(_ value: SQLValue?) throws -> JSONValue {
        try StoredAxis.labels(from: value).map { .array($0.map(JSONValue.string)) } ?? .null
    }

    /// The in-range bins as stored (row by row for 2D, the lowest y first).
    private static func data(_ row: PageRow, bins: [Int]) throws -> JSONValue {
        guard let code = row["storage"]?.int, let blob = row["contents"]?.blob,
              let values = HistogramBlob.decode(blob, code: code) else {
            throw CatalogError("histogram with unreadable contents")
        }
        let width = bins[0]
        let rows = bins.count == 1 ? 1 : bins[1]
        guard width >= 0, rows >= 0, values.count == width * rows else { throw CatalogError("histogram contents do not fit its bins") }
        if bins.count == 1 { return .numbers(values) }
        return .array((0..<rows).map { y in .numbers(Array(values[(y * width)..<((y + 1) * width)])) })
    }
}
