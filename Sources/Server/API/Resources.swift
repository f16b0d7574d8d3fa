import Catalog
import DQMIO
import Foundation

/// The API's resources in DIALS's shape (cmsdials 2.4.1's models: names, types, detail paths and filters), with our
/// own fields after DIALS's.
enum Resources {
    private typealias D = Listing.Datasets
    private typealias F = Listing.Files
    private typealias R = Listing.Runs
    private typealias L = Listing.Lumisections
    private typealias M = Listing.MonitorElements
    private typealias H = Listing.Histograms
    private typealias J = Listing.Jobs

    static let datasetIndex = Resource(
        name: "dataset-index", summary: "Datasets (`/<primary dataset>/<era>-<processing>/<tier>`) of the indexed files.",
        listing: .datasets,
        properties: [
            .integer("dataset_id", D.id), .text("dataset", D.name), .text("era", D.era), .text("data_tier", D.dataTier),
            .text("primary_ds_name", D.primaryDataset), .text("processed_ds_name", D.processedDataset),
            .integer("processing_version", D.processingVersion), .date("last_modification_date", D.lastModified),
        ],
        filters: Resource.Filter.column("dataset", "Dataset name.", D.name, kind: .string) + [DatasetFilters.regex(D.id)],
        orderings: [("dataset_id", [OrderKey(D.id)])],
        detail: [.init("dataset_id", "Dataset id.", D.id)], scoping: .datasets(D.id))

    private static let fileFilters: [Resource.Filter] = {
        var filters = Resource.Filter.column("dataset_id", "Dataset id (0: files whose path names no dataset).", F.datasetID)
        filters += Resource.Filter.column("logical_file_name", "Logical file name (the path from /store/ on).", F.logicalFileName, kind: .string)
        filters.append(FileFilters.logicalFileNameRegex(F.id))
        filters += Resource.Filter.column("status", "Processing status.", F.status, kind: .choice(FileStatus.allCases.map(\.rawValue)))
        filters.append(Resource.Filter(parameter: Parameter.integer("min_size", "Size in bytes at least.")) { value, _ in
            [Condition(F.size, .atLeast(value.sqlValue))]
        })
        filters += Resource.Filter.column("dataset", "Dataset name.", F.datasetName, kind: .string)
        filters.append(DatasetFilters.regex(F.datasetID))
        filters.append(Resource.Filter(parameter: Parameter(name: "path_contains", kind: .string, summary: "Path contains this text.")) { value, _ in
            [Condition(F.path, .contains(value.string ?? ""))]
        })
        filters.append(Resource.Filter(parameter: Parameter.integer("run_number", "Files holding this run.")) { value, _ in
            [Condition(F.id, .hasRun(value.integer ?? 0))]
        })
        filters += Resource.Filter.column("era", "Era, e.g. Run2024F.", F.era, kind: .string)
        filters += Resource.Filter.column("primary_dataset", "Primary dataset, e.g. ZeroBias.", F.primaryDataset, kind: .string)
        filters += Resource.Filter.column("missing", "Vanished from storage (true) or present (false).", F.missing, kind: .boolean)
        return filters
    }()

    static let fileIndex = Resource(
        name: "file-index", summary: "Indexed DQMIO files; after DIALS's fields, those of `mlplayground files --json`.",
        listing: .files,
        properties: [
            .integer("dataset_id", F.datasetID), .text("dataset", F.datasetName), .integer("file_id", F.id),
            .integer("file_size", F.size), .date("creation_date", F.ctime), .date("last_modification_date", F.mtime),
            .text("logical_file_name", F.logicalFileName), .choice("status", F.status, FileStatus.allCases.map(\.rawValue)),
            .text("err_trace", F.error, nullable: true),
            .text("path", F.path), .text("storage_root", F.storageRoot), .number("indexed_at", F.indexedAt, nullable: true),
            .text("era", F.era, nullable: true), .text("primary_dataset", F.primaryDataset, nullable: true),
            .text("processing", F.processing, nullable: true), .text("data_tier", F.dataTier, nullable: true),
            .text("guid", F.guid, nullable: true),
            Property("runs", Schema.array(Schema.integer), columns: [F.runs]) { cells in
                .array((cells[0].text ?? "").split(separator: ",").compactMap { Int64($0) }.map(JSONValue.int))
            },
            .integer("lumisections", F.lumisections), .integer("mes", F.mes), .integer("mes_ingested", F.mesIngested),
            .boolean("missing", F.missing),
        ],
        filters: fileFilters,
        orderings: [("file_id", [OrderKey(F.id)]), ("-file_id", [OrderKey(F.id, descending: true)]),
                    ("path", [OrderKey(F.path)]), ("-path", [OrderKey(F.path, descending: true)]),
                    ("file_size", [OrderKey(F.size)]), ("-file_size", [OrderKey(F.size, descending: true)]),
                    ("last_modification_date", [OrderKey(F.mtime)]),
                    ("-last_modification_date", [OrderKey(F.mtime, descending: true)])],
        detail: [.init("dataset_id", "Dataset id.", F.datasetID), .init("file_id", "File id.", F.id)],
        countable: true, scoping: .datasets(F.datasetID))

    static let runs = Resource(
        name: "run", summary: "Runs with loaded lumisections, per dataset (a run in two datasets is two items).", listing: .runs,
        properties: [
            .integer("dataset_id", R.datasetID), .text("dataset", R.datasetName), .integer("run_number", R.runNumber),
            .integer("ls_count", R.lsCount),
            Property("ls_completeness", Schema.nullable("number"), columns: []) { _ in .null },
        ],
        filters: Resource.Filter.column("dataset_id", "Dataset id.", R.datasetID) + [DatasetFilters.ids(R.datasetID)]
            + Resource.Filter.column("run_number", "Run number.", R.runNumber, ranged: true)
            + Resource.Filter.column("dataset", "Dataset name.", R.datasetName, kind: .string) + [DatasetFilters.regex(R.datasetID)],
        orderings: [("dataset_id", [OrderKey(R.datasetID), OrderKey(R.runNumber)]),
                    ("run_number", [OrderKey(R.runNumber), OrderKey(R.datasetID)]),
                    ("-run_number", [OrderKey(R.runNumber, descending: true), OrderKey(R.datasetID, descending: true)])],
        detail: [.init("dataset_id", "Dataset id.", R.datasetID), .init("run_number", "Run number.", R.runNumber)],
        countable: true, scoping: .datasets(R.datasetID))

    static let lumisections = Resource(
        name: "lumisection", summary: "Lumisections per dataset, with their TH1 and TH2 counts.", listing: .lumisections,
        properties: [.integer("dataset_id", L.datasetID), .text("dataset", L.datasetName), .integer("run_number", L.runNumber),
                     .integer("ls_number", L.lsNumber), .integer("th1_count", L.th1Count), .integer("th2_count", L.th2Count)],
        filters: Resource.Filter.column("dataset_id", "Dataset id.", L.datasetID)
            + Resource.Filter.column("run_number", "Run number.", L.runNumber, ranged: true)
            + Resource.Filter.column("ls_number", "Lumisection number.", L.lsNumber, ranged: true)
            + Resource.Filter.column("dataset", "Dataset name.", L.datasetName, kind: .string) + [DatasetFilters.regex(L.datasetID)],
        orderings: [("dataset_id", [OrderKey(L.datasetID), OrderKey(L.runNumber), OrderKey(L.lsNumber)])],
        detail: [.init("dataset_id", "Dataset id.", L.datasetID), .init("run_number", "Run number.", L.runNumber),
                 .init("ls_number", "Lumisection number.", L.lsNumber)],
        countable: true, scoping: .lumisections)

    static let monitorElements = Resource(
        name: "mes", summary: "Monitor elements with their dimension and number of loaded histograms (a bare array, as in DIALS).",
        listing: .monitoringElements,
        properties: [.integer("me_id", M.id), .text("me", M.name), .integer("count", M.count), .integer("dim", M.dimension),
                     .text("kind", M.kind)],
        filters: Resource.Filter.column("me", "Exact ME name.", M.name, kind: .string) + [MEFilters.regex(M.id)]
            + Resource.Filter.column("dim", "1 or 2.", M.dimension, kind: .integer(minimum: 1, maximum: 2))
            + Resource.Filter.column("kind", "ME kind.", M.kind, kind: .choice(MonitorElementKind.histograms.map(\.name))),
        orderings: [("me_id", [OrderKey(M.id)]), ("me", [OrderKey(M.name)])],
        detail: [.init("me_id", "ME id.", M.id)],
        paged: false, scoping: .monitorElements(M.id))

    static let th1 = histograms(name: "th1", listing: .th1, axes: [H.x], kinds: MonitorElementKind.oneDimensional)
    static let th2 = histograms(name: "th2", listing: .th2, axes: [H.x, H.y], kinds: MonitorElementKind.twoDimensional)

    private static func histograms(name: String, listing: Listing, axes: [H.Axis], kinds: [MonitorElementKind]) -> Resource {
        let names = ["x", "y"]
        var properties: [Property] = [
            .text("dataset", H.datasetName), .text("me", H.meName), .integer("dataset_id", H.datasetID),
            .integer("file_id", H.fileID), .integer("run_number", H.runNumber), .integer("ls_number", H.lsNumber),
            .integer("me_id", H.meID),
        ]
        for (axis, name) in zip(axes, names) {
            properties += [.double("\(name)_min", axis.min), .double("\(name)_max", axis.max), .integer("\(name)_bin", axis.bins)]
        }
        properties += [
            // DIALS's entries is an integer (its ETL stores int(GetEntries())); ROOT's double is entries_exact.
            Property("entries", Schema.integer, columns: [H.entries]) { cells in
                cells[0].double.map { .int(Int64(exactly: $0.rounded(.towardZero)) ?? 0) } ?? .null
            },
            Property("data", Schema.array(axes.count == 1 ? Schema.double : Schema.array(Schema.double)),
                     columns: [H.storage, H.contents] + axes.map(\.bins)) { cells in
                try data(code: cells[0], contents: cells[1], bins: (0..<axes.count).map { Int(cells[2 + $0].int ?? 0) })
            },
            .integer("id", H.id), .text("kind", H.meKind), .double("entries_exact", H.entries),
        ]
        for (axis, name) in zip(axes, names) {
            properties += [
                Property("\(name)_edges", Schema.array(Schema.double, nullable: true), columns: [axis.edges]) { cells in
                    try StoredAxis.edges(from: cells[0]).map(JSONValue.numbers) ?? .null
                },
                Property("\(name)_labels", Schema.array(Schema.string, nullable: true), columns: [axis.labels]) { cells in
                    try StoredAxis.labels(from: cells[0]).map { .array($0.map(JSONValue.string)) } ?? .null
                },
            ]
        }
        var filters = [HistogramFilters.datasetID(H.fileID)]
        filters += Resource.Filter.column("file_id", "File id.", H.fileID)
        filters += Resource.Filter.column("run_number", "Run number.", H.runNumber, ranged: true)
        filters += Resource.Filter.column("ls_number", "Lumisection number.", H.lsNumber, ranged: true)
        // cmsdials 2.4.1 sends its lumisection upper bound under this misspelt name.
        filters.append(Resource.Filter(parameter: Parameter.integer("ls_numbet__lte", "Alias of ls_number__lte (the cmsdials client's spelling).")) { value, _ in
            [Condition(H.lsNumber, .atMost(value.sqlValue))]
        })
        filters += Resource.Filter.column("me_id", "ME id.", H.meID)
        filters.append(Resource.Filter(parameter: Parameter.integer("entries__gte", "Entries at least.")) { value, _ in
            [Condition(H.entries, .atLeast(.double(Double(value.integer ?? 0))))]
        })
        filters += [HistogramFilters.dataset(H.fileID), HistogramFilters.datasetRegex(H.fileID),
                    HistogramFilters.logicalFileName(H.fileID), FileFilters.logicalFileNameRegex(H.fileID),
                    MEFilters.name(H.meID), MEFilters.regex(H.meID), MEFilters.kind(H.meID, among: kinds)]
        return Resource(
            name: name,
            summary: "Per-lumisection \(axes.count == 1 ? "1D" : "2D") histograms; `data` holds the in-range bins as exact doubles"
                + (axes.count == 1 ? "" : ", one row per y bin from the lowest") + " (non-finite ones as the strings NaN, Infinity, -Infinity).",
            listing: listing, properties: properties, filters: filters,
            orderings: [("id", [OrderKey(H.id)])],
            detail: [.init("dataset_id", "Dataset id.", H.datasetID), .init("run_number", "Run number.", H.runNumber),
                     .init("ls_number", "Lumisection number.", H.lsNumber), .init("me_id", "ME id.", H.meID)],
            byID: .init("id", "Histogram id (ours).", H.id), scoping: .histograms(me: H.meID, file: H.fileID),
            histogramDimension: axes.count)
    }

    static let jobs = Resource(
        name: "jobs", summary: "Jobs of the durable queues (indexing and ETL), newest first.", listing: .jobs,
        properties: [
            .integer("id", J.id), .text("queue", J.queue), .text("kind", J.kind),
            .choice("state", J.state, JobState.allCases.map(\.rawValue)), .integer("attempts", J.attempts),
            Property("progress", Schema.object([("done", Schema.integer), ("total", Schema.integer)]),
                     columns: [J.progressDone, J.progressTotal]) { cells in
                .object([("done", .of(cells[0].int)), ("total", .of(cells[1].int))])
            },
            .text("result", J.result, nullable: true), .text("error", J.error, nullable: true), .number("created_at", J.createdAt),
            .number("started_at", J.startedAt, nullable: true), .number("finished_at", J.finishedAt, nullable: true),
        ],
        filters: Resource.Filter.column("queue", "Queue name.", J.queue, kind: .choice(["dqmio_file_indexer_queue", "dqmio_etl_queue"]))
            + Resource.Filter.column("state", "Job state.", J.state, kind: .choice(JobState.allCases.map(\.rawValue))),
        orderings: [("-id", [OrderKey(J.id, descending: true)]), ("id", [OrderKey(J.id)])],
        detail: [.init("id", "Job id.", J.id)], scoping: .none)

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
