import Foundation

/// A file's place in the DFI → DETL lifecycle, in DIALS's vocabulary (its `StatusCollection`), with one state of
/// our own, FAILED, where DIALS has none.
public enum FileStatus: String, Sendable, Codable, CaseIterable {
    /// Indexed; its load is queued.
    case pending = "PENDING"
    /// Being loaded.
    case started = "STARTED"
    /// Loaded.
    case finished = "FINISHED"
    /// The operating system would not let it be read (permissions, an I/O error).
    case fileNotAvailable = "FILE_NOT_AVAILABLE"
    /// Not a ROOT file we can read (truncated, corrupt, an unknown format or compression).
    case rootfileError = "ROOTFILE_ERROR"
    /// A ROOT file, but not laid out as DQMIO.
    case parsingError = "PARSING_ERROR"
    /// Ours: the load failed for another reason (the database, an interrupted load) and its retries ran out.
    case failed = "FAILED"

    /// Ended in an error: a later scan reads such a file again (with backoff), `retry` loads it again.
    public var isFailure: Bool {
        switch self {
        case .pending, .started, .finished: false
        case .fileNotAvailable, .rootfileError, .parsingError, .failed: true
        }
    }

    public static var failures: [FileStatus] { allCases.filter(\.isFailure) }
}

/// Metadata the indexer found for a file: from its CMS path and its Indices tree.
public struct IndexedFile: Sendable {
    public var path: String
    public var storageRoot: String
    public var relativePath: String
    public var size: Int64
    public var mtime: Double
    public var ctime: Double
    public var era: String?
    public var primaryDataset: String?
    public var dataTier: String?
    public var processing: String?
    public var guid: String?
    public var runs: [Int64]
    public var lumisections: Int
    public var mes: Int

    public init(path: String, storageRoot: String, relativePath: String, size: Int64, mtime: Double, ctime: Double,
                era: String? = nil, primaryDataset: String? = nil, dataTier: String? = nil, processing: String? = nil,
                guid: String? = nil, runs: [Int64] = [], lumisections: Int = 0, mes: Int = 0) {
        self.path = path
        self.storageRoot = storageRoot
        self.relativePath = relativePath
        self.size = size
        self.mtime = mtime
        self.ctime = ctime
        self.era = era
        self.primaryDataset = primaryDataset
        self.dataTier = dataTier
        self.processing = processing
        self.guid = guid
        self.runs = runs
        self.lumisections = lumisections
        self.mes = mes
    }

    /// The logical file name (LFN): the path from `/store/` on, as CMS names files; the whole path elsewhere.
    public var logicalFileName: String {
        guard let store = path.range(of: "/store/") else { return path }
        return String(path[store.lowerBound...])
    }

    /// The CMS dataset name, `/<primary dataset>/<era>-<processing>/<tier>` (the era once, if the processing starts
    /// with it), when the path gives it.
    public var datasetName: String? {
        guard let primaryDataset, let processing else { return nil }
        let processed = era.map { processing.hasPrefix($0) ? processing : "\($0)-\(processing)" } ?? processing
        return "/\(primaryDataset)/\(processed)/\(dataTier ?? "DQMIO")"
    }
}

/// A row of the files table, as `files --json` prints it (snake_case keys are what scripts rely on).
public struct FileRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let path: String
    public let storageRoot: String
    public let size: Int64
    public let mtime: Double
    public let indexedAt: Double?
    public let era: String?
    public let primaryDataset: String?
    public let processing: String?
    public let dataTier: String?
    public let dataset: String?
    public let guid: String?
    public let runs: [Int64]
    public let lumisections: Int
    public let mes: Int
    public let mesIngested: Int
    public let status: FileStatus
    public let error: String?
    public let missing: Bool

    enum CodingKeys: String, CodingKey {
        case id, path, size, mtime, era, processing, dataset, guid, runs, lumisections, mes, status, error, missing
        case storageRoot = "storage_root", indexedAt = "indexed_at", primaryDataset = "primary_dataset"
        case dataTier = "data_tier", mesIngested = "mes_ingested"
    }

    /// Always writes `error` (null when none), as scripts expect every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(path, forKey: .path)
        try container.encode(storageRoot, forKey: .storageRoot)
        try container.encode(size, forKey: .size)
        try container.encode(mtime, forKey: .mtime)
        try container.encode(indexedAt, forKey: .indexedAt)
        try container.encode(era, forKey: .era)
        try container.encode(primaryDataset, forKey: .primaryDataset)
        try container.encode(processing, forKey: .processing)
        try container.encode(dataTier, forKey: .dataTier)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(guid, forKey: .guid)
        try container.encode(runs, forKey: .runs)
        try container.encode(lumisections, forKey: .lumisections)
        try container.encode(mes, forKey: .mes)
        try container.encode(mesIngested, forKey: .mesIngested)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
        try container.encode(missing, forKey: .missing)
    }
}

public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed
}

/// A row of the jobs table.
public struct JobRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let queue: String
    public let kind: String
    public let payload: String
    public let dedupeKey: String?
    public let state: JobState
    public let attempts: Int
    public let maxAttempts: Int
    public let worker: String?
    public let progressDone: Int64
    public let progressTotal: Int64
    public let result: String?
    public let error: String?
    public let createdAt: Double
    public let startedAt: Double?
    public let finishedAt: Double?

    enum CodingKeys: String, CodingKey {
        case id, queue, kind, payload, state, attempts, worker, result, error
        case dedupeKey = "dedupe_key", maxAttempts = "max_attempts", progressDone = "progress_done"
        case progressTotal = "progress_total", createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// What the catalog knows of a file at index time: enough to tell new, changed and unchanged files apart, and
/// when a file unreadable at its last indexing (`indexFailures` times in a row, last at `indexedAt`) is read again.
public struct FileFingerprint: Sendable, Equatable {
    public let size: Int64
    public let mtime: Double
    public let missing: Bool
    public let status: FileStatus
    public let indexedAt: Double
    public let indexFailures: Int
}

/// What the indexer made of one new or changed file.
public enum IndexedOutcome: Sendable {
    case readable(IndexedFile)
    case unreadable(IndexedFile, error: String, status: FileStatus)
}

/// A job to queue: its queue, kind and payload; with a dedupe key, at most one such job is queued or running.
public struct NewJob: Sendable {
    public let queue: String
    public let kind: String
    public let payload: String
    public let dedupeKey: String?
    public let maxAttempts: Int

    public init(queue: String, kind: String, payload: String = "", dedupeKey: String? = nil, maxAttempts: Int = 3) {
        self.queue = queue
        self.kind = kind
        self.payload = payload
        self.dedupeKey = dedupeKey
        self.maxAttempts = maxAttempts
    }
}
