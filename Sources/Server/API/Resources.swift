import Catalog
import DQMIO
import Foundation

/// The API's resources in DIALS's shape (cmsdials 2.4.1's models: names, types, detail paths and filters), with our
/// own fields after DIALS's.
enum Resources {
    static let datasetIndex = Resource(
        name: "dataset-index", summary: "Datasets (`/<primary dataset>/<era>-<processing>/<tier>`) of the indexed files.",
        listing: .datasets,
        properties: [
            .integer("dataset_id"), .text("dataset"), .text("era"), .text("data_tier"), .text("primary_ds_name"),
            .text("processed_ds_name"), .integer("processing_version"), .date("last_modification_date"),
        ],
        filters: Resource.Filter.field("dataset", "Dataset name.", kind: .string) + [DatasetFilters.regex(field: "dataset_id")],
        orderings: [("dataset_id", [OrderKey("dataset_id")])],
        detail: [Parameter.path("dataset_id", "Dataset id.")], scoping: .datasets)

    private static let fileFilters: [Resource.Filter] = {
        var filters = Resource.Filter.field("dataset_id", "Dataset id (0: files whose path names no dataset).")
        filters += Resource.Filter.field("logical_file_name", "Logical file name (the path from /store/ on).", kind: .string)
        filters.append(FileFilters.logicalFileNameRegex(field: "file_id"))
        filters += Resource.Filter.field("status", "Processing status.", kind: .choice(FileStatus.allCases.map(\.rawValue)))
        filters.append(Resource.Filter(parameter: Parameter.integer("min_size", "Size in bytes at least.")) { value, _ in
            [Condition("file_size", .atLeast(value.sqlValue))]
        })
        filters += Resource.Filter.field("dataset", "Dataset name.", kind: .string)
        filters.append(DatasetFilters.regex(field: "dataset_id"))
        filters.append(Resource.Filter(parameter: Parameter(name: "path_contains", kind: .string, summary: "Path contains this text.")) { value, _ in
            [Condition("path", .contains(value.string ?? ""))]
        })
        filters.append(Resource.Filter(parameter: Parameter.integer("run_number", "Files holding this run.")) { value, _ in
            [Condition("file_id", .hasRun(value.integer ?? 0))]
        })
        filters += Resource.Filter.field("era", "Era, e.g. Run2024F.", kind: .string)
        filters += Resource.Filter.field("primary_dataset", "Primary dataset, e.g. ZeroBias.", kind: .string)
        filters += Resource.Filter.field("missing", "Vanished from storage (true) or present (false).", kind: .boolean)
        return filters
    }()

    static let fileIndex = Resource(
        name: "file-index", summary: "Indexed DQMIO files; after DIALS's fields, those of `mlplayground files --json`.",
        listing: .files,
        properties: [
            .integer("dataset_id"), .text("dataset"), .integer("file_id"), .integer("file_size"), .date("creation_date"),
            .date("last_modification_date"), .text("logical_file_name"),
            .choice("status", FileStatus.allCases.map(\.rawValue)), .text("err_trace", nullable: true),
            .text("path"), .text("storage_root"), .number("indexed_at", nullable: true), .text("era", nullable: true),
            .text("primary_dataset", nullable: true), .text("processing", nullable: true), .text("data_tier", nullable: true),
            .text("guid", nullable: true),
            Property("runs", Schema.array(Schema.integer), fields: ["runs"]) { cells in
                .array((cells[0].text ?? "").split(separator: ",").compactMap { Int64($0) }.map(JSONValue.int))
            },
            .integer("lumisections"), .integer("mes"), .integer("mes_ingested"), .boolean("missing"),
        ],
        filters: fileFilters,
        orderings: [("file_id", [OrderKey("file_id")]), ("-file_id", [OrderKey("file_id", descending: true)]),
                    ("path", [OrderKey("path")]), ("-path", [OrderKey("path", descending: true)]),
                    ("file_size", [OrderKey("file_size")]), ("-file_size", [OrderKey("file_size", descending: true)]),
                    ("last_modification_date", [OrderKey("last_modification_date")]),
                    ("-last_modification_date", [OrderKey("last_modification_date", descending: true)])],
        detail: [Parameter.path("dataset_id", "Dataset id."), Parameter.path("file_id", "File id.")],
        countable: true, scoping: .datasets)

    static let runs = Resource(
        name: "run", summary: "Runs with loaded lumisections, per dataset (a run in two datasets is two items).", listing: .runs,
        properties: [
            .integer("dataset_id"), .text("dataset"), .integer("run_number"), .integer("ls_count"),
            Property("ls_completeness", Schema.nullable("number"), fields: []) { _ in .null },
        ],
        filters: Resource.Filter.field("dataset_id", "Dataset id.") + [DatasetFilters.ids(field: "dataset_id")]
            + Resource.Filter.field("run_number", "Run number.", ranged: true)
            + Resource.Filter.field("dataset", "Dataset name.", kind: .string) + [DatasetFilters.regex(field: "dataset_id")],
        orderings: [("dataset_id", [OrderKey("dataset_id"), OrderKey("run_number")]),
                    ("run_number", [OrderKey("run_number"), OrderKey("dataset_id")]),
                    ("-run_number", [OrderKey("run_number", descending: true), OrderKey("dataset_id", descending: true)])],
        detail: [Parameter.path("dataset_id", "Dataset id."), Parameter.path("run_number", "Run number.")],
        countable: true, scoping: .datasets)

    static let lumisections = Resource(
        name: "lumisection", summary: "Lumisections per dataset, with their TH1 and TH2 counts.", listing: .lumisections,
        properties: [.integer("dataset_id"), .text("dataset"), .integer("run_number"), .integer("ls_number"),
                     .integer("th1_count"), .integer("th2_count")],
        filters: Resource.Filter.field("dataset_id", "Dataset id.")
            + Resource.Filter.field("run_number", "Run number.", ranged: true)
            + Resource.Filter.field("ls_number", "Lumisection number.", ranged: true)
            + Resource.Filter.field("dataset", "Dataset name.", kind: .string) + [DatasetFilters.regex(field: "dataset_id")],
        orderings: [("dataset_id", [OrderKey("dataset_id"), OrderKey("run_number"), OrderKey("ls_number")])],
        detail: [Parameter.path("dataset_id", "Dataset id."), Parameter.path("run_number", "Run number."),
                 Parameter.path("ls_number", "Lumisection number.")],
        countable: true, scoping: .lumisections)

    static let monitorElements = Resource(
        name: "mes", summary: "Monitor elements with their dimension and number of loaded histograms (a bare array, as in DIALS).",
        listing: .monitoringElements,
        properties: [.integer("me_id"), .text("me"), .integer("count"), .integer("dim"), .text("kind")],
        filters: Resource.Filter.field("me", "Exact ME name.", kind: .string) + [MEFilters.regex(field: "me_id")]
            + Resource.Filter.field("dim", "1 or 2.", kind: .integer(minimum: 1, maximum: 2))
            + Resource.Filter.field("kind", "ME kind.", kind: .choice(MonitorElementKind.histograms.map(\.name))),
        orderings: [("me_id", [OrderKey("me_id")]), ("me", [OrderKey("me")])],
        detail: [Parameter.path("me_id", "ME id.")],
        paged: false, scoping: .monitorElements)

    static let th1 = histograms(name: "th1", listing: .th1, axes: ["x"], kinds: MonitorElementKind.oneDimensional)
    static let th2 = histograms(name: "th2", listing: .th2, axes: ["x", "y"], kinds: MonitorElementKind.twoDimensional)

    private static func histograms(name: String, listing: Listing, axes: [String], kinds: [MonitorElementKind]) -> Resource {
        var properties: [Property] = [
            .text("dataset"), .text("me"), .integer("dataset_id"), .integer("file_id"), .integer("run_number"),
            .integer("ls_number"), .integer("me_id"),
        ]
        for axis in axes {
            properties += [.double("\(axis)_min"), .double("\(axis)_max"), .integer("\(axis)_bin", field: "\(axis)_bins")]
        }
        properties += [
            // DIALS's entries is an integer (its ETL stores int(GetEntries())); ROOT's double is entries_exact.
            Property("entries", Schema.integer, fields: ["entries"]) { cells in
                cells[0].double.map { .int(Int64(exactly: $0.rounded(.towardZero)) ?? 0) } ?? .null
            },
            Property("data", Schema.array(axes.count == 1 ? Schema.double : Schema.array(Schema.double)),
                     fields: ["storage", "contents"] + axes.map { "\($0)_bins" }) { cells in
                try data(code: cells[0], contents: cells[1], bins: (0..<axes.count).map { Int(cells[2 + $0].int ?? 0) })
            },
            .integer("id"), .text("kind"), Property("entries_exact", Schema.double, fields: ["entries"], value: .number),
        ]
        for axis in axes {
            properties += [
                Property("\(axis)_edges", Schema.array(Schema.double, nullable: true), fields: ["\(axis)_edges"]) { cells in
                    try StoredAxis.edges(from: cells[0]).map(JSONValue.numbers) ?? .null
                },
                Property("\(axis)_labels", Schema.array(Schema.string, nullable: true), fields: ["\(axis)_labels"]) { cells in
                    try StoredAxis.labels(from: cells[0]).map { .array($0.map(JSONValue.string)) } ?? .null
                },
            ]
        }
        var filters = [HistogramFilters.datasetID(field: "file_id")]
        filters += Resource.Filter.field("file_id", "File id.")
        filters += Resource.Filter.field("run_number", "Run number.", ranged: true)
        filters += Resource.Filter.field("ls_number", "Lumisection number.", ranged: true)
        // cmsdials 2.4.1 sends its lumisection upper bound under this misspelt name.
        filters.append(Resource.Filter(parameter: Parameter.integer("ls_numbet__lte", "Alias of ls_number__lte (the cmsdials client's spelling).")) { value, _ in
            [Condition("ls_number", .atMost(value.sqlValue))]
        })
        filters += Resource.Filter.field("me_id", "ME id.")
        filters.append(Resource.Filter(parameter: Parameter.integer("entries__gte", "Entries at least.")) { value, _ in
            [Condition("entries", .atLeast(.double(Double(value.integer ?? 0))))]
        })
        filters += [HistogramFilters.dataset(field: "file_id"), HistogramFilters.datasetRegex(field: "file_id"),
                    HistogramFilters.logicalFileName(field: "file_id"), FileFilters.logicalFileNameRegex(field: "file_id"),
                    MEFilters.name(field: "me_id"), MEFilters.regex(field: "me_id"), MEFilters.kind(field: "me_id", among: kinds)]
        return Resource(
            name: name,
            summary: "Per-lumisection \(axes.count == 1 ? "1D" : "2D") histograms; `data` holds the in-range bins as exact doubles"
                + (axes.count == 1 ? "" : ", one row per y bin from the lowest") + " (non-finite ones as the strings NaN, Infinity, -Infinity).",
            listing: listing, properties: properties, filters: filters,
            orderings: [("id", [OrderKey("id")])],
            detail: [Parameter.path("dataset_id", "Dataset id."), Parameter.path("run_number", "Run number."),
                     Parameter.path("ls_number", "Lumisection number."), Parameter.path("me_id", "ME id.")],
            byID: Parameter.path("id", "Histogram id (ours)."), scoping: .histograms)
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
        detail: [Parameter.path("id", "Job id.")], scoping: .none)

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
