extension Catalog {
    /// Every dataset's id and name, by id (one per primary dataset, era and processing: a small table), for filters
    /// such as a workspace's dataset globs.
    public func datasets() async throws -> [(id: Int64, name: String)] {
        try await database.query("SELECT id, name FROM datasets ORDER BY id", []).compactMap { row in
            guard let id = row[0].int, let name = row[1].text else { return nil }
            return (id, name)
        }
    }

    /// Ids of the files of the datasets `ids`, in id order (files whose path gave no dataset are in none).
    public func fileIDs(inDatasets ids: [Int64]) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try await database.query("SELECT id FROM files WHERE dataset_id IN (\(Self.inList(ids))) ORDER BY id", [])
            .compactMap { $0.first?.int }
    }
}
