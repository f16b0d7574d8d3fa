import Foundation

/// The catalog: files, datasets, runs, lumisections, monitor elements, histograms and jobs, in one database.
/// Every operation is written once over `SQLDatabase`; times come from the injected clock.
public final class Catalog: Sendable {
    public let database: any SQLDatabase
    let now: @Sendable () -> Double
    let names = NameCache()

    public init(database: any SQLDatabase, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        now = clock
    }

    /// Opens (and migrates) the database at `url`.
    public static func open(_ url: DatabaseURL) async throws -> Catalog {
        Catalog(database: try await url.open())
    }

    public func close() async throws { try await database.close() }

    static let fileColumns = """
        f.id, f.path, f.storage_root, f.size, f.mtime, f.indexed_at, f.era, f.primary_dataset, f.processing, \
        f.data_tier, d.name, f.guid, f.runs, f.lumisections, f.mes, f.mes_ingested, f.status, f.error, f.missing
        """

    static func file(_ row: SQLRow) throws -> FileRecord {
        guard row.count == 19, let id = row[0].int, let path = row[1].text, let status = row[16].text.flatMap(FileStatus.init) else {
            throw CatalogError("unexpected files row")
        }
        let runs = (row[12].text ?? "").split(separator: ",").compactMap { Int64($0) }
        return FileRecord(id: id, path: path, storageRoot: row[2].text ?? "", size: row[3].int ?? 0, mtime: row[4].double ?? 0,
                          indexedAt: row[5].double, era: row[6].text, primaryDataset: row[7].text, processing: row[8].text,
                          dataTier: row[9].text, dataset: row[10].text, guid: row[11].text, runs: runs,
                          lumisections: Int(row[13].int ?? 0), mes: Int(row[14].int ?? 0), mesIngested: Int(row[15].int ?? 0),
                          status: status, error: row[17].text, missing: row[18].bool)
    }

    public func files(status: FileStatus? = nil) async throws -> [FileRecord] {
        let filter = status == nil ? "" : "WHERE f.status = ?"
        let rows = try await database.query("SELECT \(Self.fileColumns) FROM files f LEFT JOIN datasets d ON d.id = f.dataset_id \(filter) ORDER BY f.path",
                                            status.map { [.text($0.rawValue)] } ?? [])
        return try rows.map(Self.file)
    }

    public func file(path: String) async throws -> FileRecord? {
        try await database.query("SELECT \(Self.fileColumns) FROM files f LEFT JOIN datasets d ON d.id = f.dataset_id WHERE f.path = ?",
                                 [.text(path)]).first.map(Self.file)
    }

    public func file(id: Int64) async throws -> FileRecord? {
        try await database.query("SELECT \(Self.fileColumns) FROM files f LEFT JOIN datasets d ON d.id = f.dataset_id WHERE f.id = ?",
                                 [.int(id)]).first.map(Self.file)
    }

    /// What the indexer needs to tell new, changed and unchanged files apart, by path.
    public func fingerprints(storageRoot: String) async throws -> [String: FileFingerprint] {
        var known: [String: FileFingerprint] = [:]
        let rows = try await database.query("SELECT path, size, mtime, missing, status, indexed_at, index_failures FROM files WHERE storage_root = ?",
                                            [.text(storageRoot)])
        for row in rows {
            guard let path = row[0].text, let status = row[4].text.flatMap(FileStatus.init) else { continue }
            known[path] = FileFingerprint(size: row[1].int ?? -1, mtime: row[2].double ?? -1, missing: row[3].bool, status: status,
                                          indexedAt: row[5].double ?? 0, indexFailures: Int(row[6].int ?? 0))
        }
        return known
    }

    /// The catalog's clock (injected: tests move it), in seconds since 1970.
    public var currentTime: Double { now() }

    /// Records a batch of new or changed files in one transaction: each readable one PENDING with its ETL job
    /// (`etlJob(id)`) queued (data from an earlier version stays until its ETL replaces it); each unreadable one
    /// with its failure status and the reader's message. A handful of multi-row statements per batch: three
    /// transactions of a few statements per file made the first indexing of 100,000 files take 15 minutes on
    /// PostgreSQL, a round trip each.
    public func record(_ outcomes: [IndexedOutcome], etlJob: @escaping @Sendable (Int64) -> NewJob) async throws {
        var readable: [IndexedFile] = []
        var unreadable: [(file: IndexedFile, error: String, status: FileStatus)] = []
        guard !outcomes.isEmpty else { return }
        for outcome in outcomes {
            switch outcome {
            case .readable(let file): readable.append(file)
            case .unreadable(let file, let error, let status): unreadable.append((file, error, status))
            }
        }
        let now = now()
        try await database.transaction(exclusive: true) { [readable, unreadable] c in
            // Every file's path names its dataset, readable or not: their ids in one lookup.
            let datasets = try await Self.datasetIDs(Set((readable + unreadable.map(\.file)).compactMap(\.datasetName)), on: c)
            let ids = try await Self.upsertIndexed(readable, datasets: datasets, now: now, on: c)
            try await self.insert(ids.map(etlJob), now: now, on: c)
            try await Self.upsertUnreadable(unreadable, datasets: datasets, now: now, on: c)
        }
    }

    /// Upserts `files` as PENDING with their datasets (`datasets`: ids by name) and runs; returns their ids.
    private static func upsertIndexed(_ files: [IndexedFile], datasets: [String: Int64], now: Double,
                                      on c: any SQLConnection) async throws -> [Int64] {
        guard !files.isEmpty else { return [] }
        let values: [SQLValue] = files.flatMap { file -> [SQLValue] in
            [.text(file.path), .text(file.storageRoot), .text(file.relativePath), .int(file.size), .double(file.mtime),
             .double(file.ctime), .double(now), .of(file.era), .of(file.primaryDataset), .of(file.processing),
             .of(file.dataTier), file.datasetName.flatMap { datasets[$0] }.map(SQLValue.int) ?? .null, .of(file.guid.map(StoredText.clean)),
             .text(file.runs.map(String.init).joined(separator: ",")), .of(file.lumisections), .of(file.mes),
             .text(FileStatus.pending.rawValue), .double(now), .double(now), .text(file.logicalFileName)]
        }
        let rows = try await c.query("""
            INSERT INTO files (path, storage_root, relative_path, size, mtime, ctime, indexed_at, era, primary_dataset,
                processing, data_tier, dataset_id, guid, runs, lumisections, mes, status, created_at, updated_at, logical_file_name)
            VALUES \(placeholders(rows: files.count, columns: 20))
            ON CONFLICT (path) DO UPDATE SET storage_root = excluded.storage_root, relative_path = excluded.relative_path,
                size = excluded.size, mtime = excluded.mtime, ctime = excluded.ctime, indexed_at = excluded.indexed_at,
                era = excluded.era, primary_dataset = excluded.primary_dataset, processing = excluded.processing,
                data_tier = excluded.data_tier, dataset_id = excluded.dataset_id, guid = excluded.guid, runs = excluded.runs,
                lumisections = excluded.lumisections, mes = excluded.mes, status = excluded.status,
                error = NULL, missing = 0, index_failures = 0, updated_at = excluded.updated_at,
                logical_file_name = excluded.logical_file_name
            RETURNING id, path
            """, values)
        var idByPath: [String: Int64] = [:]
        for row in rows { if let id = row[0].int, let path = row[1].text { idByPath[path] = id } }
        let ids = try files.map { file in
            guard let id = idByPath[file.path] else { throw CatalogError("file \(file.path) vanished while recording it") }
            return id
        }
        let touched = Set(files.compactMap { $0.datasetName.flatMap { datasets[$0] } })
        if !touched.isEmpty {
            try await c.execute("""
                UPDATE datasets SET last_modification_date = (SELECT max(mtime) FROM files WHERE files.dataset_id = datasets.id)
                WHERE id IN (\(Self.inList(touched)))
                """, [])
        }
        try await c.execute("DELETE FROM file_runs WHERE file_id IN (\(Self.inList(ids)))", [])
        let runs = zip(ids, files).flatMap { id, file in Set(file.runs).sorted().map { [SQLValue.int(id), .int($0)] } }
        try await executeValues("INSERT INTO file_runs (file_id, run_number)", rows: runs, on: c)
        return ids
    }

    /// The ids of dataset `names`, inserting the new ones.
    private static func datasetIDs(_ names: Set<String>, on c: any SQLConnection) async throws -> [String: Int64] {
        try await idsByName(in: "datasets", columns: ["name", "era", "data_tier", "primary_ds_name", "processed_ds_name", "processing_version"],
                            rows: names.map { name in
                                let parts = DatasetName(name)
                                return [.text(name), .text(parts.era), .text(parts.dataTier), .text(parts.primaryDataset),
                                        .text(parts.processedDataset), .of(parts.processingVersion)]
                            }, on: c)
    }

    /// The ids of the names in `rows` (each row's first value, the others the rest of `columns`) in a table with a
    /// unique `name`, inserting the rows not there yet: one INSERT … ON CONFLICT DO NOTHING and one SELECT per 500
    /// names (a round trip per name was an eighth of a load's time).
    static func idsByName(in table: String, columns: [String], rows: [SQLRow], on c: any SQLConnection) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for start in stride(from: 0, to: rows.count, by: 500) {
            let chunk = Array(rows[start..<min(rows.count, start + 500)])
            try await executeValues("INSERT INTO \(table) (\(columns.joined(separator: ", ")))", rows: chunk, "ON CONFLICT (name) DO NOTHING", on: c)
            for row in try await c.query("SELECT id, name FROM \(table) WHERE name IN \(placeholders(rows: 1, columns: chunk.count))",
                                         chunk.map { $0[0] }) {
                if let id = row[0].int, let name = row[1].text { ids[name] = id }
            }
        }
        return ids
    }

    /// Upserts files that could not be read, in their failure status: with their dataset too, which their path
    /// names (the dataset's lists and workspaces then show them).
    private static func upsertUnreadable(_ files: [(file: IndexedFile, error: String, status: FileStatus)], datasets: [String: Int64],
                                         now: Double, on c: any SQLConnection) async throws {
        guard !files.isEmpty else { return }
        try await executeValues("""
            INSERT INTO files (path, storage_root, relative_path, size, mtime, ctime, indexed_at, era, primary_dataset,
                processing, data_tier, status, error, index_failures, created_at, updated_at, logical_file_name, dataset_id)
            """, rows: files.map { file, error, status in
                [.text(file.path), .text(file.storageRoot), .text(file.relativePath), .int(file.size), .double(file.mtime),
                 .double(file.ctime), .double(now), .of(file.era), .of(file.primaryDataset), .of(file.processing),
                 .of(file.dataTier), .text(status.rawValue), .text(StoredText.clean(error)), .int(1), .double(now), .double(now),
                 .text(file.logicalFileName), file.datasetName.flatMap { datasets[$0] }.map(SQLValue.int) ?? .null]
            }, """
            ON CONFLICT (path) DO UPDATE SET storage_root = excluded.storage_root, relative_path = excluded.relative_path,
                size = excluded.size, mtime = excluded.mtime, ctime = excluded.ctime,
                indexed_at = excluded.indexed_at, status = excluded.status, error = excluded.error, missing = 0,
                index_failures = files.index_failures + 1, updated_at = excluded.updated_at, dataset_id = excluded.dataset_id
            """, on: c)
    }

    /// `1,2,3`: whole numbers spelled into an IN list (they need no binding, and a list may pass the bind limits).
    static func inList<Numbers: Sequence>(_ numbers: Numbers) -> String where Numbers.Element: BinaryInteger {
        numbers.map { String($0) }.joined(separator: ",")
    }

    /// `(?, …, ?), …` for a multi-row VALUES list.
    static func placeholders(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `head VALUES (…), (…) tail` for `rows` — a multi-row INSERT, or an UPDATE … FROM (VALUES …) whose columns
    /// both databases name column1, column2, … — in statements of at most 20,000 values (SQLite takes up to 32,766).
    static func executeValues(_ head: String, rows: [SQLRow], _ tail: String = "", on c: any SQLConnection) async throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let perStatement = max(1, 20_000 / width)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            try await c.execute("\(head) VALUES \(placeholders(rows: chunk.count, columns: width)) \(tail)", chunk.flatMap { $0 })
        }
    }

    /// Sets the missing flag of the given files (status and data are kept).
    public func setMissing(_ paths: [String], missing: Bool) async throws {
        guard !paths.isEmpty else { return }
        let now = now()
        try await database.transaction { c in
            for path in paths {
                try await c.execute("UPDATE files SET missing = ?, updated_at = ? WHERE path = ?", [.of(missing), .double(now), .text(path)])
            }
        }
    }

    public func setStatus(fileID: Int64, _ status: FileStatus, error: String? = nil) async throws {
        try await database.execute("UPDATE files SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                                   [.text(status.rawValue), .of(error.map(StoredText.clean)), .double(now()), .int(fileID)])
    }

    /// Progress of a running ETL, visible to other connections (PostgreSQL) while its transaction is open.
    public func setIngested(fileID: Int64, count: Int) async throws {
        try await database.execute("UPDATE files SET mes_ingested = ? WHERE id = ?", [.of(count), .int(fileID)])
    }
}
