import Catalog
import DQMIO

/// What the pipeline runs with: storage roots, the ME selection, reader threads, and the queue's timing.
public struct PipelineSettings: Sendable {
    /// Colon-separated on the command line and in `MLP_STORAGE`.
    public var storageRoots: [String]
    /// `--me` / `MLP_ME_PATTERNS`; empty selects every ME (or, with workspaces configured, their union).
    public var mePatterns: [NamePattern]
    /// `--workspaces FILE` / `MLP_WORKSPACES`; without one, the implicit workspace that selects everything. The
    /// command line refuses it together with `--me`; were both set here, `mePatterns` would choose what is loaded.
    public var workspaces: WorkspaceConfiguration = .implicit
    public var readerThreads: Int
    /// How long a claimed job is a worker's before others may take it over; renewed every third of it.
    public var lease: Double
    /// How often an idle worker looks for work.
    public var pollInterval: Double
    /// Seconds a running job may go without progress before the worker abandons it to be retried.
    public var stallTimeout: Double
    /// Test hook (`MLP_TEST_ETL_PAUSE_MS`): milliseconds the ETL's reader waits per ME, so that tests can kill a
    /// worker or restart the database in the middle of a load. 0 in normal use.
    public var readerPause: UInt32
    /// Most MEs the ETL hands the database per batch (two COPY statements; see `ETL.batches`). Tests lower it so
    /// that their small files take several batches, and the reuse of batches between them is exercised.
    public var batchSize: Int
    /// `--allow-empty-roots`: an empty root is indexed as empty (its files flagged missing) instead of taken for
    /// an unmounted mount point.
    public var allowEmptyRoots = false

    public init(storageRoots: [String] = [], mePatterns: [NamePattern] = [], readerThreads: Int = DQMIOFile.defaultThreads,
                lease: Double = 60, pollInterval: Double = 1, stallTimeout: Double = 300, readerPause: UInt32 = 0,
                batchSize: Int = 5000) {
        self.storageRoots = storageRoots
        self.mePatterns = mePatterns
        self.readerThreads = readerThreads
        self.lease = lease
        self.pollInterval = pollInterval
        self.stallTimeout = stallTimeout
        self.readerPause = readerPause
        self.batchSize = max(1, batchSize)
    }

    /// The MEs DETL loads and DFI counts: every per-LS 1D/2D histogram matching the `--me` patterns, or else the
    /// union of the workspaces' ME patterns (each file is read once, for all workspaces).
    public var selection: Selection { Selection(patterns: mePatterns.isEmpty ? workspaces.mePatterns : mePatterns) }
}

/// The two durable queues, named as in the original (Celery) deployment.
public enum Queues {
    public static let indexer = "dqmio_file_indexer_queue"
    public static let etl = "dqmio_etl_queue"
    public static let all = [indexer, etl]

    /// Job kinds.
    static let indexKind = "index"
    static let ingestKind = "ingest"
    /// Only one indexing queued or running at a time, whoever triggers it.
    static let indexDedupeKey = "index"
}
