import Synchronization

/// ME names and kinds by ME id, dataset names by file id, kept in memory for the histogram lists: both never change
/// once written (an ME id always names the same ME, a file's path fixes its dataset), so a page reads th1/th2 alone
/// and fills these in. Joining the ME, file and dataset tables on every page had PostgreSQL spend 0.65 ms planning
/// and running each page's query, against 0.08 ms for th1 alone. Ids not seen yet (written since, perhaps by
/// another process) are read with one query per page.
final class NameCache: Sendable {
    struct MonitorElement: Sendable {
        let name: String
        let kind: String
    }

    private let monitorElements = Table<MonitorElement>(
        sql: "SELECT id, name, kind FROM monitoring_elements WHERE id IN") { MonitorElement(name: $0[1].text ?? "", kind: $0[2].text ?? "") }
    /// A file's dataset: id 0 and an empty name when its path names none.
    struct Dataset: Sendable {
        let id: Int64
        let name: String
    }

    private let datasets = Table<Dataset>(
        sql: "SELECT f.id, COALESCE(f.dataset_id, 0), COALESCE(d.name, '') FROM files f LEFT JOIN datasets d ON d.id = f.dataset_id WHERE f.id IN"
    ) { Dataset(id: $0[1].int ?? 0, name: $0[2].text ?? "") }

    /// Every known ME by id, `ids` among them (those that exist).
    func monitorElements(_ ids: [Int64], on database: any SQLDatabase) async throws -> [Int64: MonitorElement] {
        try await monitorElements.values(ids, on: database)
    }

    /// Every known file's dataset by file id, `ids` among them (those that exist).
    func datasets(ofFiles ids: [Int64], on database: any SQLDatabase) async throws -> [Int64: Dataset] {
        try await datasets.values(ids, on: database)
    }

    /// One cached id → value map, read by `sql` … `(ids)` (column 0 is the id).
    private final class Table<Value: Sendable>: Sendable {
        private let known = Mutex<[Int64: Value]>([:])
        private let sql: String
        private let value: @Sendable (SQLRow) -> Value

        init(sql: String, value: @escaping @Sendable (SQLRow) -> Value) {
            self.sql = sql
            self.value = value
        }

        /// The whole map, after reading the ids it lacked. Handing out the map itself shares its storage: a page
        /// looks its ids up in it without a dictionary of its own.
        func values(_ ids: [Int64], on database: any SQLDatabase) async throws -> [Int64: Value] {
            let (snapshot, missing) = known.withLock { known in (known, Set(ids.filter { known[$0] == nil })) }
            guard !missing.isEmpty else { return snapshot }
            let rows = try await database.query("\(sql) (\(Catalog.inList(missing)))", [])
            return known.withLock { known in
                for row in rows { if let id = row[0].int { known[id] = value(row) } }
                return known
            }
        }
    }
}
