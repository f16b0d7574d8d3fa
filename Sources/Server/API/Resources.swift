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
            .integer("id"), .text("path"), .text("storage_root"), .integer("size"), .number("mtime"),
            .number("indexed_at", nullable: true), .text("era", nullable: true), .text("primary_dataset", nullable: true),
            .text("processing", nullable: true), .text("data_tier", nullable: true), .text("dataset", nullable: true),
            .text("guid", nullable: true),
            Property("runs", Schema.array(Schema.integer), fields: ["runs"]) { cells in
                .array((cells[0].text ?? "").split(separator: ",").compactMap { Int64($0) }.map(JSONValue.int))
            },
            .integer("lumisections"), .integer("mes"), .integer("mes_ingested"),
            .choice("status", FileStatus.allCases.map(\.rawValue)), .boolean("missing"), .text("error", nullable: true),
        ],
        filters: fileFilters,
        orderings: [("id", [OrderKey("id")]), ("-id", [OrderKey("id", descending: true)]), ("path", [OrderKey("path")]),
                    ("-path", [OrderKey("path", descending: true)]), ("size", [OrderKey("size")]),
                    ("-size", [OrderKey("size", descending: true)]), ("mtime", [OrderKey("mtime")]),
                    ("-mtime", [OrderKey("mtime", descending: true)])],
        detail: (Parameter.path("id", "File id."), "id"))

    static let runs = Resource(
        name: "runs", summary: "Runs with loaded lumisections.", listing: .runs,
        properties: [.integer("run_number"), .integer("ls_count")],
        filters: Resource.Filter.field("run_number", "Run number.", ranged: true),
        orderings: [("run_number", [OrderKey("run_number")]), ("-run_number", [OrderKey("run_number", descending: true)])],
        detail: (Parameter.path("run", "Run number."), "run_number"))

    static let lumisections = Resource(
        name: "lumisections", summary: "Lumisections with their TH1 and TH2 counts.", listing: .lumisections,
        properties: [.integer("run_number"), .integer("ls_number"), .integer("th1_count"), .integer("th2_count")],
        filters: Resource.Filter.field("run_number", "Run number.", ranged: true)
            + Resource.Filter.field("ls_number", "Lumisection number.", ranged: true),
        orderings: [("run_number", [])],
        detail: nil)

    static let monitorElements = Resource(
        name: "mes", summary: "Monitor element names with their kind, dimension and number of loaded histograms.",
        listing: .monitoringElements,
        properties: [.integer("id"), .text("me"), .text("kind"), .integer("dimension"), .integer("count")],
        filters: Resource.Filter.field("me", "Exact ME name.", kind: .string) + [MEFilters.regex(field: "id")]
            + Resource.Filter.field("kind", "ME kind.", kind: .choice(MonitorElementKind.histograms.map(\.name)))
            + Resource.Filter.field("dimension", "1 or 2.", kind: .integer(minimum: 1, maximum: 2)),
        orderings: [("id", [OrderKey("id")]), ("me", [OrderKey("me")])],
        detail: (Parameter.path("id", "ME id."), "id"))

    static let th1 = histograms(name: "th1", listing: .th1, axes: ["x"], kinds: MonitorElementKind.oneDimensional)
    static let th2 = histograms(name: "th2", listing: .th2, axes: ["x", "y"], kinds: MonitorElementKind.twoDimensional)

    private static func histograms(name: String, listing: Listing, axes: [String], kinds: [MonitorElementKind]) -> Resource {
        var properties: [Property] = [
            .integer("id"), .integer("run_number"), .integer("ls_number"), .text("me"), .integer("me_id"), .text("kind"),
            .integer("file_id"), .text("dataset", nullable: true),
        ]
        for axis in axes {
            properties += [
                .number("\(axis)_min"), .number("\(axis)_max"), .integer("\(axis)_bin", field: "\(axis)_bins"),
                Property("\(axis)_edges", Schema.array(Schema.number, nullable: true), fields: ["\(axis)_edges"]) { cells in
                    try StoredAxis.edges(from: cells[0]).map(JSONValue.numbers) ?? .null
                },
                Property("\(axis)_labels", Schema.array(Schema.string, nullable: true), fields: ["\(axis)_labels"]) { cells in
                    try StoredAxis.labels(from: cells[0]).map { .array($0.map(JSONValue.string)) } ?? .null
                },
            ]
        }
        let cell = JSONValue.object([("type", .array([.string("number"), .string("null")]))])
        properties += [
            .number("entries"),
            Property("data", Schema.array(axes.count == 1 ? cell : Schema.array(cell)),
                     fields: ["storage", "contents"] + axes.map { "\($0)_bins" }) { cells in
                try data(code: cells[0], contents: cells[1], bins: (0..<axes.count).map { Int(cells[2 + $0].int ?? 0) })
            },
        ]
        return Resource(
            name: name,
            summary: "Per-lumisection \(axes.count == 1 ? "1D" : "2D") histograms; `data` holds the in-range bins as exact doubles"
                + (axes.count == 1 ? "." : ", one row per y bin from the lowest."),
            listing: listing, properties: properties,
            filters: Resource.Filter.field("run_number", "Run number.", ranged: true)
                + Resource.Filter.field("ls_number", "Lumisection number.", ranged: true)
                + [MEFilters.name(field: "me_id"), MEFilters.regex(field: "me_id"), MEFilters.kind(field: "me_id", among: kinds),
                   MEFilters.dataset(field: "file_id")]
                + Resource.Filter.field("file_id", "File id."),
            orderings: [("id", [OrderKey("id")])],
            detail: (Parameter.path("id", "Histogram id."), "id"))
    }

    static let jobs = Resource(
        name: "jobs", summary: "Jobs of the durable queues (indexing and ETL), newest first.", listing: .jobs,
        properties: [
            .integer("id"), .text("queue"), .text("kind"), .choice("state", JobState.allCases.map(\.rawValue)), .integer("attempts"),
            Property("progress", Schema.object([("done", Schema.integer), ("total", Schema.integer)]),
                     fields: ["progress_done", "progress_total"]) { cells in
                .object([("done", .of(cells[0].int)), ("total", .of(cells[1].int))])
            },
            .text("result", nullable: true), .text("error", nullable: true), .number("created_at"),
            .number("started_at", nullable: true), .number("finished_at", nullable: true),
        ],
        filters: Resource.Filter.field("queue", "Queue name.", kind: .choice(["dqmio_file_indexer_queue", "dqmio_etl_queue"]))
            + Resource.Filter.field("state", "Job state.", kind: .choice(JobState.allCases.map(\.rawValue))),
        orderings: [("-id", [OrderKey("id", descending: true)]), ("id", [OrderKey("id")])],
        detail: (Parameter.path("id", "Job id."), "id"))

    /// The in-range bins as stored (row by row for 2D, the lowest y first).
    private static func data(code: SQLValue, contents: SQLValue, bins: [Int]) throws -> JSONValue {
        guard let code = code.int, let blob = contents.blob, let values = HistogramBlob.decode(blob, code: code) else {
            throw CatalogError("histogram with unreadable contents")
        }
        let width = bins.first ?? 0
        let rows = bins.count == 1 ? 1 : bins.last ?? 0
        guard width >= 0, rows >= 0, values.count == width * rows else { throw CatalogError("histogram contents do not fit its bins") }
        if bins.count == 1 { return .numbers(values) }
        return .array((0..<rows).map { y in .numbers(Array(values[(y * width)..<((y + 1) * width)])) })
    }
}
