import Foundation

/// The durable job queue, in the catalog's database (no Redis). Jobs are claimed in id order; a running job holds
/// a lease its worker renews (heartbeats); a job whose lease ran out — its worker died — is claimed again. Failures
/// retry with exponential backoff up to `max_attempts`. At most `concurrency` jobs of a queue run at once across
/// all workers and hosts: claims of one queue are serialized (PostgreSQL advisory lock; SQLite write lock), and
/// rows are picked with `FOR UPDATE SKIP LOCKED` on PostgreSQL.
extension Catalog {
    static let jobColumns = """
        id, queue, kind, payload, dedupe_key, state, attempts, max_attempts, worker, progress_done, progress_total, \
        result, error, created_at, started_at, finished_at
        """

    static func job(_ row: SQLRow) throws -> JobRecord {
        guard row.count == 16, let id = row[0].int, let state = row[5].text.flatMap(JobState.init) else {
            throw CatalogError("unexpected jobs row")
        }
        return JobRecord(id: id, queue: row[1].text ?? "", kind: row[2].text ?? "", payload: row[3].text ?? "",
                         dedupeKey: row[4].text, state: state, attempts: Int(row[6].int ?? 0), maxAttempts: Int(row[7].int ?? 0),
                         worker: row[8].text, progressDone: row[9].int ?? 0, progressTotal: row[10].int ?? 0,
                         result: row[11].text, error: row[12].text, createdAt: row[13].double ?? 0,
                         startedAt: row[14].double, finishedAt: row[15].double)
    }

    /// The PostgreSQL channel that carries a queue's name whenever it may have work: a job queued, or one ended
    /// (which frees the queue's slot).
    public static let jobsChannel = "mlplayground_jobs"

    /// Tells listening workers that `queue` may have work; sent with the transaction's commit.
    private func notify(_ queue: String, on c: any SQLConnection) async throws {
        guard database.dialect == .postgres else { return }
        _ = try await c.query("SELECT pg_notify(?, ?)", [.text(Self.jobsChannel), .text(queue)])
    }

    /// Queues a job. With a `dedupeKey`, a queued or running job with the same key is returned instead of a new one
    /// (so 200 presses of "index now" make one indexing).
    public func enqueue(_ job: NewJob) async throws -> JobRecord {
        let now = now()
        return try await database.transaction(exclusive: true) { c in try await self.insert(job, now: now, on: c) }
    }

    /// Queues the load of file `fileID` and marks the file PENDING, in one transaction: a worker that claims the job
    /// at once can then never find the status stale, nor have its STARTED or FINISHED overwritten by it. When the
    /// file's load is already running, that job is returned and the file stays RUNNING.
    public func enqueue(_ job: NewJob, pendingFile fileID: Int64) async throws -> JobRecord {
        let now = now()
        return try await database.transaction(exclusive: true) { c in
            let record = try await self.insert(job, now: now, on: c)
            if record.state == .queued {
                try await c.execute("UPDATE files SET status = ?, error = NULL, updated_at = ? WHERE id = ?",
                                    [.text(FileStatus.pending.rawValue), .double(now), .int(fileID)])
            }
            return record
        }
    }

    /// `enqueue` within a transaction of the caller's.
    func insert(_ job: NewJob, now: Double, on c: any SQLConnection) async throws -> JobRecord {
        if let dedupeKey = job.dedupeKey {
            // On PostgreSQL (read committed) the job our insert deferred to can end between the insert and the
            // select: the insert is then tried again, and now queues a new one.
            for _ in 0..<3 {
                try await insert([job], now: now, on: c)
                let rows = try await c.query("SELECT \(Self.jobColumns) FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running')", [.text(dedupeKey)])
                if let row = rows.first { return try Self.job(row) }
            }
            throw CatalogError("job \(dedupeKey) ended three times while queueing it")
        }
        let rows = try await c.query("""
            INSERT INTO jobs (queue, kind, payload, state, max_attempts, run_after, created_at)
            VALUES (?, ?, ?, 'queued', ?, ?, ?) RETURNING \(Self.jobColumns)
            """, [.text(job.queue), .text(job.kind), .text(job.payload), .of(job.maxAttempts), .double(now), .double(now)])
        guard let row = rows.first else { throw CatalogError("no job returned") }
        try await notify(job.queue, on: c)
        return try Self.job(row)
    }

    /// Queues `jobs` in one statement, skipping those whose dedupe key is already queued or running.
    func insert(_ jobs: [NewJob], now: Double, on c: any SQLConnection) async throws {
        try await Self.executeValues("INSERT INTO jobs (queue, kind, payload, state, max_attempts, run_after, created_at, dedupe_key)",
                              rows: jobs.map { job in
                                  [.text(job.queue), .text(job.kind), .text(job.payload), .text(JobState.queued.rawValue),
                                   .of(job.maxAttempts), .double(now), .double(now), .of(job.dedupeKey)]
                              }, "ON CONFLICT (dedupe_key) WHERE state IN ('queued', 'running') DO NOTHING", on: c)
        for queue in Set(jobs.map(\.queue)) { try await notify(queue, on: c) }
    }

    /// Claims the next runnable job of `queue` for `worker`, or nil when none may run now. With `jobID`, that job
    /// only, and at once if queued (someone asked for it by name: a backoff before its retry is not waited out).
    public func claim(queue: String, worker: String, lease: Double, concurrency: Int = 1, jobID: Int64? = nil) async throws -> JobRecord? {
        let now = now()
        let postgres = database.dialect == .postgres
        return try await database.transaction(exclusive: true) { c in
            if postgres {
                try await Self.lock("queue.\(queue)", on: c)
            }
            let running = try await c.query("SELECT count(*) FROM jobs WHERE queue = ? AND state = 'running' AND lease_until > ?",
                                            [.text(queue), .double(now)]).first?.first?.int ?? 0
            guard running < concurrency else { return nil }
            while true {
                let candidates = try await c.query("""
                    SELECT id, state, attempts, max_attempts FROM jobs
                    WHERE queue = ? AND ((state = 'queued' AND run_after <= ?) OR (state = 'running' AND lease_until <= ?))
                    \(jobID == nil ? "" : "AND id = ?") ORDER BY id LIMIT 1\(postgres ? " FOR UPDATE SKIP LOCKED" : "")
                    """, [.text(queue), .double(jobID == nil ? now : .infinity), .double(now)] + (jobID.map { [SQLValue.int($0)] } ?? []))
                guard let candidate = candidates.first, let id = candidate[0].int else { return nil }
                let abandoned = candidate[1].text == "running"
                if abandoned && (candidate[2].int ?? 0) >= (candidate[3].int ?? 0) {
                    try await c.execute("UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL WHERE id = ?",
                                        [.text("worker lost (lease expired) on the last attempt"), .double(now), .int(id)])
                    continue
                }
                let rows = try await c.query("""
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?, lease_until = ?,
                        started_at = COALESCE(started_at, ?), error = CASE WHEN ? = 1 THEN 'worker lost (lease expired); retried' ELSE error END
                    WHERE id = ? RETURNING \(Self.jobColumns)
                    """, [.text(worker), .double(now + lease), .double(now), .of(abandoned), .int(id)])
                return try rows.first.map(Self.job)
            }
        }
    }

    /// Renews `worker`'s lease on job `id`; false when the job is no longer its own (lease lost, job taken over).
    public func heartbeat(jobID id: Int64, worker: String, lease: Double) async throws -> Bool {
        let held = try await database.query("UPDATE jobs SET lease_until = ? WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
                                            [.double(now() + lease), .int(id), .text(worker)])
        return !held.isEmpty
    }

    public func reportProgress(jobID id: Int64, done: Int64, total: Int64) async throws {
        try await database.execute("UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ?", [.int(done), .int(total), .int(id)])
    }

    public func complete(jobID id: Int64, worker: String, result: String) async throws {
        let now = now()
        try await database.transaction { c in
            let ended = try await c.query("""
                UPDATE jobs SET state = 'succeeded', result = ?, error = NULL, finished_at = ?, lease_until = NULL
                WHERE id = ? AND worker = ? AND state = 'running' RETURNING queue
                """, [.text(StoredText.clean(result)), .double(now), .int(id), .text(worker)])
            if let queue = ended.first?.first?.text { try await notify(queue, on: c) }
        }
    }

    /// Records a failure: queued again after a backoff (2^attempts s, at most 5 min) while attempts remain,
    /// otherwise failed for good. `retry: false` fails at once (e.g. a malformed file will not get better).
    public func fail(jobID id: Int64, worker: String, error: String, retry: Bool) async throws {
        let now = now()
        // Exclusive: it reads, then writes, and on SQLite a deferred transaction whose snapshot another process's
        // commit made stale cannot become a writer (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
        try await database.transaction(exclusive: true) { c in
            guard let row = try await c.query("SELECT attempts, max_attempts, queue FROM jobs WHERE id = ? AND worker = ? AND state = 'running'",
                                              [.int(id), .text(worker)]).first else { return }
            if let queue = row[2].text { try await notify(queue, on: c) }
            let attempts = row[0].int ?? 0
            if retry && attempts < (row[1].int ?? 0) {
                let backoff = min(300, pow(2, Double(attempts)))
                try await c.execute("UPDATE jobs SET state = 'queued', error = ?, run_after = ?, lease_until = NULL, worker = NULL WHERE id = ?",
                                    [.text(StoredText.clean(error)), .double(now + backoff), .int(id)])
            } else {
                try await c.execute("UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL WHERE id = ?",
                                    [.text(StoredText.clean(error)), .double(now), .int(id)])
            }
        }
    }

    public func jobs(queue: String? = nil, state: JobState? = nil, limit: Int = 100) async throws -> [JobRecord] {
        var filters: [String] = []
        var binds: [SQLValue] = []
        if let queue { filters.append("queue = ?"); binds.append(.text(queue)) }
        if let state { filters.append("state = ?"); binds.append(.text(state.rawValue)) }
        let clause = filters.isEmpty ? "" : "WHERE " + filters.joined(separator: " AND ")
        return try await database.query("SELECT \(Self.jobColumns) FROM jobs \(clause) ORDER BY id DESC LIMIT ?", binds + [.of(limit)])
            .map(Self.job)
    }

    public func job(id: Int64) async throws -> JobRecord? {
        try await database.query("SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", [.int(id)]).first.map(Self.job)
    }

    /// When the queue (with `jobID`: that job) next has work: now if a job is runnable, the earliest backoff or
    /// lease end otherwise, nil if nothing is queued or running.
    public func nextWork(queue: String, jobID: Int64? = nil) async throws -> Double? {
        let row = try await database.query("""
            SELECT min(CASE WHEN state = 'queued' THEN run_after ELSE lease_until END) FROM jobs
            WHERE queue = ? AND state IN ('queued', 'running')\(jobID == nil ? "" : " AND id = ?")
            """, [.text(queue)] + (jobID.map { [SQLValue.int($0)] } ?? [])).first
        return row?.first?.double
    }

    /// A PostgreSQL advisory lock, held until the transaction ends.
    static func lock(_ name: String, on c: any SQLConnection) async throws {
        _ = try await c.query("SELECT pg_advisory_xact_lock(?)", [.int(lockKey(name))])
    }

    /// A stable 63-bit key for PostgreSQL's advisory locks (FNV-1a of the name): "queue.<queue>", "load.<file id>"...
    static func lockKey(_ name: String) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "mlplayground.\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash >> 1)
    }
}
