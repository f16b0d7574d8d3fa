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

    /// What the indexer needs to tell new, changed and unchanged files apart: size, mtime and status by path.
    public func fingerprints(storageRoot: String) async throws -> [String: (size: Int64, mtime: Double, missing: Bool, status: FileStatus)] {
        var known: [String: (size: Int64, mtime: Double, missing: Bool, status: FileStatus)] = [:]
        for row in try await database.query("SELECT path, size, mtime, missing, status FROM files WHERE storage_root = ?", [.text(storageRoot)]) {
            guard let path = row[0].text, let status = row[4].text.flatMap(FileStatus.init) else { continue }
            known[path] = (row[1].int ?? -1, row[2].double ?? -1, row[3].bool, status)
        }
        return known
    }

    /// Records a batch of new or changed files in one transaction: each readable one INDEXED (data from an earlier
    /// version stays until its ETL replaces it), then, with its ETL job (`etlJob(id)`) queued, PENDING; each
    /// unreadable one FAILED with the reader's message. One transaction per batch, not three per file: the first
    /// indexing of 100,000 files took 15 minutes on PostgreSQL that way.
    public func record(_ outcomes: [IndexedOutcome], etlJob: @escaping @Sendable (Int64) -> NewJob) async throws {
        guard !outcomes.isEmpty else { return }
        let now = now()
        try await database.transaction(exclusive: true) { c in
            var queued: [Int64] = []
            for outcome in outcomes {
                switch outcome {
                case .readable(let file):
                    let id = try await Self.upsertIndexed(file, now: now, on: c)
                    _ = try await self.insert(etlJob(id), now: now, on: c)
                    queued.append(id)
                case .unreadable(let file, let error):
                    try await Self.upsertUnreadable(file, error: error, now: now, on: c)
                }
            }
            if !queued.isEmpty {
                try await c.execute("UPDATE files SET status = ? WHERE id IN (\(queued.map(String.init).joined(separator: ",")))",
                                    [.text(FileStatus.pending.rawValue)])
            }
        }
    }

    private static func upsertIndexed(_ file: IndexedFile, now: Double, on c: any SQLConnection) async throws -> Int64 {
        var datasetID: SQLValue = .null
        if let name = file.datasetName {
            try await c.execute("INSERT INTO datasets (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [.text(name)])
            datasetID = try await c.query("SELECT id FROM datasets WHERE name = ?", [.text(name)]).first?.first ?? .null
        }
        let values: [SQLValue] = [
            .text(file.path), .text(file.storageRoot), .text(file.relativePath), .int(file.size), .double(file.mtime),
            .double(file.ctime), .double(now), .of(file.era), .of(file.primaryDataset), .of(file.processing),
            .of(file.dataTier), datasetID, .of(file.guid), .text(file.runs.map(String.init).joined(separator: ",")),
            .of(file.lumisections), .of(file.mes), .text(FileStatus.indexed.rawValue), .double(now), .double(now),
        ]
        let rows = try await c.query("""
            INSERT INTO files (path, storage_root, relative_path, size, mtime, ctime, indexed_at, era, primary_dataset,
                processing, data_tier, dataset_id, guid, runs, lumisections, mes, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (path) DO UPDATE SET storage_root = excluded.storage_root, relative_path = excluded.relative_path,
                size = excluded.size, mtime = excluded.mtime, ctime = excluded.ctime, indexed_at = excluded.indexed_at,
                era = excluded.era, primary_dataset = excluded.primary_dataset, processing = excluded.processing,
                data_tier = excluded.data_tier, dataset_id = excluded.dataset_id, guid = excluded.guid, runs = excluded.runs,
                lumisections = excluded.lumisections, mes = excluded.mes, status = excluded.status,
                error = NULL, missing = 0, updated_at = excluded.updated_at
            RETURNING id
            """, values)
        guard let id = rows.first?.first?.int else { throw CatalogError("file \(file.path) vanished while recording it") }
        try await c.execute("DELETE FROM file_runs WHERE file_id = ?", [.int(id)])
        let runs = Set(file.runs).sorted()
        if !runs.isEmpty {
            try await c.execute("INSERT INTO file_runs (file_id, run_number) VALUES \(runs.map { _ in "(?, ?)" }.joined(separator: ", "))",
                                runs.flatMap { [.int(id), .int($0)] })
        }
        return id
    }

    private static func upsertUnreadable(_ file: IndexedFile, error: String, now: Double, on c: any SQLConnection) async throws {
        try await c.execute("""
            INSERT INTO files (path, storage_root, relative_path, size, mtime, ctime, indexed_at, era, primary_dataset,
                processing, data_tier, status, error, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, ctime = excluded.ctime,
                indexed_at = excluded.indexed_at, status = excluded.status, error = excluded.error, missing = 0,
                updated_at = excluded.updated_at
            """, [.text(file.path), .text(file.storageRoot), .text(file.relativePath), .int(file.size), .double(file.mtime),
                  .double(file.ctime), .double(now), .of(file.era), .of(file.primaryDataset), .of(file.processing),
                  .of(file.dataTier), .text(FileStatus.failed.rawValue), .text(error), .double(now), .double(now)])
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
                                   [.text(status.rawValue), .of(error), .double(now()), .int(fileID)])
    }

    /// Progress of a running ETL, visible to other connections (PostgreSQL) while its transaction is open.
    public func setIngested(fileID: Int64, count: Int) async throws {
        try await database.execute("UPDATE files SET mes_ingested = ? WHERE id = ?", [.of(count), .int(fileID)])
    }
}
