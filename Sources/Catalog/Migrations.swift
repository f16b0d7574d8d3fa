import Foundation

/// Versioned schema changes, applied in order by any command that opens the database (and by
/// `mlplayground migrate` alone). Each runs once, in a transaction, recorded in `schema_migrations`; concurrent
/// processes wait for each other (PostgreSQL advisory lock, SQLite write lock).
///
/// The SQL is shared; `{id}`, `{blob}`, `{double}` and `{instr}` become each database's spelling.
public enum Migrations {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        let statements: [String]
        /// Statements for PostgreSQL alone, run after `statements`.
        var postgresStatements: [String] = []
        /// What SQL alike on both databases cannot spell, run last in the same transaction.
        var afterwards: (@Sendable (any SQLConnection) async throws -> Void)? = nil
    }

    public static let all: [Migration] = [
        Migration(version: 1, name: "catalog and job queue", statements: [
            "CREATE TABLE datasets (id {id}, name TEXT NOT NULL UNIQUE)",
            """
            CREATE TABLE files (
                id {id}, path TEXT NOT NULL UNIQUE, storage_root TEXT NOT NULL, relative_path TEXT NOT NULL,
                size BIGINT NOT NULL, mtime {double} NOT NULL, ctime {double} NOT NULL, indexed_at {double},
                era TEXT, primary_dataset TEXT, processing TEXT, data_tier TEXT,
                dataset_id BIGINT REFERENCES datasets(id), guid TEXT,
                runs TEXT NOT NULL DEFAULT '', lumisections INTEGER NOT NULL DEFAULT 0,
                mes INTEGER NOT NULL DEFAULT 0, mes_ingested INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL, error TEXT, missing INTEGER NOT NULL DEFAULT 0,
                created_at {double} NOT NULL, updated_at {double} NOT NULL, processed_at {double})
            """,
            "CREATE INDEX files_status ON files (status)",
            "CREATE INDEX files_storage_root ON files (storage_root)",
            "CREATE TABLE file_runs (file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE, run_number BIGINT NOT NULL, PRIMARY KEY (file_id, run_number))",
            "CREATE INDEX file_runs_run ON file_runs (run_number)",
            "CREATE TABLE runs (run_number BIGINT PRIMARY KEY, ls_count INTEGER NOT NULL DEFAULT 0)",
            """
            CREATE TABLE lumisections (run_number BIGINT NOT NULL, ls_number BIGINT NOT NULL,
                th1_count INTEGER NOT NULL DEFAULT 0, th2_count INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (run_number, ls_number))
            """,
            """
            CREATE TABLE monitoring_elements (id {id}, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                dimension INTEGER NOT NULL, count BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE th1 (id {id}, file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                run_number BIGINT NOT NULL, ls_number BIGINT NOT NULL, me_id BIGINT NOT NULL REFERENCES monitoring_elements(id),
                x_bins INTEGER NOT NULL, x_min {double} NOT NULL, x_max {double} NOT NULL, x_edges {blob}, x_labels TEXT,
                entries {double} NOT NULL, storage INTEGER NOT NULL, contents {blob} NOT NULL)
            """,
            "CREATE INDEX th1_run_ls ON th1 (run_number, ls_number)",
            "CREATE INDEX th1_run_me ON th1 (run_number, me_id)",
            "CREATE INDEX th1_file ON th1 (file_id)",
            """
            CREATE TABLE th2 (id {id}, file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                run_number BIGINT NOT NULL, ls_number BIGINT NOT NULL, me_id BIGINT NOT NULL REFERENCES monitoring_elements(id),
                x_bins INTEGER NOT NULL, x_min {double} NOT NULL, x_max {double} NOT NULL, x_edges {blob}, x_labels TEXT,
                y_bins INTEGER NOT NULL, y_min {double} NOT NULL, y_max {double} NOT NULL, y_edges {blob}, y_labels TEXT,
                entries {double} NOT NULL, storage INTEGER NOT NULL, contents {blob} NOT NULL)
            """,
            "CREATE INDEX th2_run_ls ON th2 (run_number, ls_number)",
            "CREATE INDEX th2_run_me ON th2 (run_number, me_id)",
            "CREATE INDEX th2_file ON th2 (file_id)",
            """
            CREATE TABLE jobs (id {id}, queue TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '',
                dedupe_key TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL DEFAULT 3, run_after {double} NOT NULL, lease_until {double}, worker TEXT,
                progress_done BIGINT NOT NULL DEFAULT 0, progress_total BIGINT NOT NULL DEFAULT 0,
                result TEXT, error TEXT, created_at {double} NOT NULL, started_at {double}, finished_at {double})
            """,
            "CREATE INDEX jobs_claim ON jobs (queue, state, run_after)",
            // At most one queued-or-running job per dedupe key: a second trigger finds the first.
            "CREATE UNIQUE INDEX jobs_active_key ON jobs (dedupe_key) WHERE state IN ('queued', 'running')",
        ]),
        // Per-row foreign-key checks were most of PostgreSQL's work in a load: each histogram row ran a query
        // locking its file row, and the progress updates to that row during the load made every check walk the
        // row's versions (13.5 → 8 s for the 100 MB bench file). The ETL's transaction is the only writer of
        // th1/th2 and inserts the ME names first; files and ME names are never deleted. SQLite's checks are plain
        // index probes and stay.
        Migration(version: 2, name: "histograms without per-row foreign-key checks on PostgreSQL", statements: [],
                  postgresStatements: [
                      "ALTER TABLE th1 DROP CONSTRAINT th1_file_id_fkey, DROP CONSTRAINT th1_me_id_fkey",
                      "ALTER TABLE th2 DROP CONSTRAINT th2_file_id_fkey, DROP CONSTRAINT th2_me_id_fkey",
                  ]),
        // Contents arrive packed or compressed, yet PostgreSQL ran pglz over every value above 2 kB (12 % of its time
        // in a load, for < 1 % smaller values) and then moved it to the TOAST table, one more insert on load and
        // one more index lookup per row on read. Now values are never compressed again and stay in the row up to
        // a page (8 kB; larger ones still go out of line): a raw COPY of the bench file's rows costs the server
        // ~15 % less.
        Migration(version: 3, name: "histogram contents in the row, not compressed again, on PostgreSQL", statements: [],
                  postgresStatements: [
                      "ALTER TABLE th1 ALTER COLUMN contents SET STORAGE EXTERNAL, SET (toast_tuple_target = 8160)",
                      "ALTER TABLE th2 ALTER COLUMN contents SET STORAGE EXTERNAL, SET (toast_tuple_target = 8160)",
                  ]),
        // A file unreadable at index time for a reason that may pass (permissions, a copy still being written) is
        // read again on later scans although its size and time stay the same, less often after each failure.
        Migration(version: 4, name: "index failures counted per file", statements: [
            "ALTER TABLE files ADD COLUMN index_failures INTEGER NOT NULL DEFAULT 0",
            // Files already FAILED at index time (no load was ever queued for them) are read again too.
            """
            UPDATE files SET index_failures = 1 WHERE status = 'FAILED'
                AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.kind = 'ingest' AND jobs.payload = CAST(files.id AS TEXT))
            """,
        ]),
        // Datasets are first-class, as in DIALS: their name's parts are columns, and runs and lumisections are
        // counted per dataset (a run seen in two datasets is two rows). Files whose path names no dataset count
        // under dataset 0. The new counters are rebuilt from the stored histograms: a lumisection that holds none
        // is listed again once its file is loaded again.
        Migration(version: 5, name: "runs and lumisections per dataset; dataset name parts", statements: [
            "ALTER TABLE datasets ADD COLUMN era TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN data_tier TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN primary_ds_name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN processed_ds_name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN processing_version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE datasets ADD COLUMN last_modification_date {double} NOT NULL DEFAULT 0",
            "UPDATE datasets SET last_modification_date = COALESCE((SELECT max(mtime) FROM files WHERE files.dataset_id = datasets.id), 0)",
            // The logical file name (LFN) is the path from `/store/` on, as CMS names files; the whole path elsewhere.
            "ALTER TABLE files ADD COLUMN logical_file_name TEXT NOT NULL DEFAULT ''",
            """
            UPDATE files SET logical_file_name = CASE WHEN {instr}(path, '/store/') > 0
                THEN substr(path, {instr}(path, '/store/')) ELSE path END
            """,
            "CREATE INDEX files_logical_file_name ON files (logical_file_name)",
            "CREATE INDEX files_dataset ON files (dataset_id)",
            "DROP TABLE runs",
            "DROP TABLE lumisections",
            """
            CREATE TABLE runs (id {id}, dataset_id BIGINT NOT NULL, run_number BIGINT NOT NULL,
                ls_count INTEGER NOT NULL DEFAULT 0, UNIQUE (dataset_id, run_number))
            """,
            "CREATE INDEX runs_run ON runs (run_number)",
            """
            CREATE TABLE lumisections (id {id}, dataset_id BIGINT NOT NULL, run_number BIGINT NOT NULL,
                ls_number BIGINT NOT NULL, th1_count INTEGER NOT NULL DEFAULT 0, th2_count INTEGER NOT NULL DEFAULT 0,
                UNIQUE (dataset_id, run_number, ls_number))
            """,
            "CREATE INDEX lumisections_run_ls ON lumisections (run_number, ls_number)",
            """
            INSERT INTO lumisections (dataset_id, run_number, ls_number, th1_count, th2_count)
            SELECT COALESCE(f.dataset_id, 0), h.run_number, h.ls_number, sum(h.n1), sum(h.n2)
            FROM (SELECT file_id, run_number, ls_number, 1 AS n1, 0 AS n2 FROM th1
                  UNION ALL SELECT file_id, run_number, ls_number, 0, 1 FROM th2) AS h JOIN files f ON f.id = h.file_id
            GROUP BY COALESCE(f.dataset_id, 0), h.run_number, h.ls_number
            ORDER BY 1, 2, 3
            """,
            """
            INSERT INTO runs (dataset_id, run_number, ls_count)
            SELECT dataset_id, run_number, count(*) FROM lumisections GROUP BY dataset_id, run_number ORDER BY 1, 2
            """,
        ], afterwards: { connection in
            // The datasets already there get their name's parts (new ones get them as they are inserted).
            for row in try await connection.query("SELECT id, name FROM datasets", []) {
                guard let id = row[0].int, let name = row[1].text else { continue }
                let parts = DatasetName(name)
                try await connection.execute("""
                    UPDATE datasets SET era = ?, data_tier = ?, primary_ds_name = ?, processed_ds_name = ?, processing_version = ?
                    WHERE id = ?
                    """, [.text(parts.era), .text(parts.dataTier), .text(parts.primaryDataset), .text(parts.processedDataset),
                          .of(parts.processingVersion), .int(id)])
            }
        }),
        // File statuses in DIALS's vocabulary. FAILED rows stay FAILED (the cause is only in their message); new
        // failures are named by their cause (FILE_NOT_AVAILABLE, ROOTFILE_ERROR, PARSING_ERROR).
        Migration(version: 6, name: "DIALS's file statuses", statements: [
            "UPDATE files SET status = 'PENDING' WHERE status = 'INDEXED'",
            "UPDATE files SET status = 'STARTED' WHERE status = 'RUNNING'",
            "UPDATE files SET status = 'FINISHED' WHERE status = 'PROCESSED'",
        ]),
        // An ME's rows by run and LS: the export reads one ME over many runs (and the lists filter by ME), which
        // (run_number, me_id) could serve only run by run. It replaces that index: an ME within a run is still one
        // range of it, so loads maintain as many indexes as before.
        Migration(version: 7, name: "histograms by ME, run and LS", statements: [
            "CREATE INDEX th1_me_run_ls ON th1 (me_id, run_number, ls_number)",
            "CREATE INDEX th2_me_run_ls ON th2 (me_id, run_number, ls_number)",
            "DROP INDEX th1_run_me",
            "DROP INDEX th2_run_me",
        ]),
    ]

    static func spelled(_ sql: String, for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            sql.replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{blob}", with: "BLOB").replacingOccurrences(of: "{double}", with: "REAL")
                .replacingOccurrences(of: "{instr}", with: "instr")
        case .postgres:
            sql.replacingOccurrences(of: "{id}", with: "BIGSERIAL PRIMARY KEY")
                .replacingOccurrences(of: "{blob}", with: "BYTEA").replacingOccurrences(of: "{double}", with: "DOUBLE PRECISION")
                .replacingOccurrences(of: "{instr}", with: "strpos")
        }
    }

    /// Applies what is not applied yet, up to version `last`; returns the versions applied now.
    @discardableResult
    public static func apply(to database: any SQLDatabase, through last: Int = .max) async throws -> [Int] {
        let dialect = database.dialect
        return try await database.transaction(exclusive: true) { connection in
            if dialect == .postgres {
                _ = try await connection.query("SELECT pg_advisory_xact_lock(7270001)", [])
            }
            try await connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at \(dialect == .postgres ? "DOUBLE PRECISION" : "REAL") NOT NULL)", [])
            let done = Set(try await connection.query("SELECT version FROM schema_migrations", []).compactMap { $0.first?.int })
            var applied: [Int] = []
            for migration in all where !done.contains(Int64(migration.version)) && migration.version <= last {
                for statement in migration.statements + (dialect == .postgres ? migration.postgresStatements : []) {
                    try await connection.execute(spelled(statement, for: dialect), [])
                }
                try await migration.afterwards?(connection)
                try await connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                             [.of(migration.version), .text(migration.name), .double(Date().timeIntervalSince1970)])
                applied.append(migration.version)
            }
            return applied
        }
    }
}
