/// A table the API pages through: which rows (FROM with joins) and a unique key that ends every ordering, so that
/// pages can be cut by key values (keyset pagination: a page costs the same wherever it starts, and rows inserted
/// meanwhile never shift it). Its columns are the `Column`s of its namespace (`Listing.Files`, …).
public struct Listing: Sendable {
    let from: String
    let uniqueKey: Column
    /// Columns spelt otherwise in this listing (lumisection counts taken over a workspace's MEs).
    let overrides: [Column: String]

    init(from: String, uniqueKey: Column, overrides: [Column: String] = [:]) {
        self.from = from
        self.uniqueKey = uniqueKey
        self.overrides = overrides
    }

    /// How this listing's SQL spells `column`.
    func sql(_ column: Column) -> String { overrides[column] ?? column.sql }
}

/// One filter of a listing, on one of its columns.
public struct Condition: Sendable {
    public enum Test: Sendable {
        case equal(SQLValue)
        case atLeast(SQLValue)
        case atMost(SQLValue)
        case contains(String)
        case oneOf([Int64])
        /// A run number among the file's runs (files only).
        case hasRun(Int64)
    }

    public let column: Column
    public let test: Test

    public init(_ column: Column, _ test: Test) {
        self.column = column
        self.test = test
    }
}

/// A position in an ordering, and which way to read from it.
public struct PageCursor: Sendable, Equatable {
    public let values: [SQLValue]
    /// Rows before the position (the `previous` link) rather than after it.
    public let backwards: Bool

    public init(values: [SQLValue], backwards: Bool) {
        self.values = values
        self.backwards = backwards
    }
}

public struct OrderKey: Sendable, Equatable {
    public let column: Column
    public let descending: Bool

    public init(_ column: Column, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }
}

/// A page of rows, in the requested order, and the ordering values of its first and last rows (for the cursors of
/// the links).
public struct Page: Sendable {
    public let rows: [PageRow]
    public let firstKey: [SQLValue]?
    public let lastKey: [SQLValue]?
    /// More rows lie beyond the page in the direction it was read.
    public let hasMore: Bool
}

extension Catalog {
    /// Reads one page of `listing`: rows matching every condition, ordered by `order` then the unique key, starting
    /// after (or, backwards, ending before) `cursor`, at most `limit` rows. Only `columns` are read.
    public func page(_ listing: Listing, columns: [Column], conditions: [Condition], order: [OrderKey],
                     cursor: PageCursor?, limit: Int) async throws -> Page {
        let keys = order + [OrderKey(listing.uniqueKey, descending: order.last?.descending ?? false)]
        let expression = listing.sql
        var (clauses, binds) = clauses(listing, conditions)
        if let cursor {
            guard cursor.values.count == keys.count else { throw CatalogError("cursor does not fit this ordering") }
            // (k1 after v1) OR (k1 = v1 AND k2 after v2) OR …, each key in its own direction.
            var alternatives: [String] = []
            for index in keys.indices {
                var parts: [String] = []
                for previous in 0..<index {
                    parts.append("\(expression(keys[previous].column)) = ?")
                    binds.append(cursor.values[previous])
                }
                let forward = keys[index].descending == cursor.backwards
                parts.append("\(expression(keys[index].column)) \(forward ? ">" : "<") ?")
                binds.append(cursor.values[index])
                alternatives.append("(" + parts.joined(separator: " AND ") + ")")
            }
            clauses.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        let backwards = cursor?.backwards ?? false
        let ordering = keys.map { key in
            "\(expression(key.column)) \(key.descending != backwards ? "DESC" : "ASC")"
        }
        // Each row holds the values of `columns` in that order (looked-up ones as NULL until filled), then the ids
        // those are looked up by when `columns` lacks them, then the ordering values not among those.
        var names = columns
        for column in columns {
            if let idColumn = column.lookup?.idColumn, !names.contains(idColumn) { names.append(idColumn) }
        }
        let filled = columns.indices.compactMap { position in
            columns[position].lookup.map { LookedUp(position: position, lookup: $0, idPosition: names.firstIndex(of: $0.idColumn) ?? 0) }
        }
        var selected = names.map(expression)
        let keyPositions = keys.map { key in
            let column = expression(key.column)
            if let position = selected.firstIndex(of: column) { return position }  // the id is usually read already
            selected.append(column)
            return selected.count - 1
        }
        let rest = """
            FROM \(listing.from)
            \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
            ORDER BY \(ordering.joined(separator: ", ")) LIMIT ?
            """
        var rows = try await database.select(selected, rest, binds + [.of(limit + 1)])
        let hasMore = rows.count > limit
        if hasMore { rows.removeLast(rows.count - limit) }
        if backwards { rows.reverse() }
        let firstKey = rows.first.map { row in keyPositions.map { row[$0] } }
        let lastKey = rows.last.map { row in keyPositions.map { row[$0] } }
        var items = rows.map { PageRow(columns: names, values: $0) }
        rows = []  // each row's values now belong to its PageRow alone, so filling them in copies nothing
        if !filled.isEmpty { try await fill(filled, in: &items) }
        return Page(rows: items, firstKey: firstKey, lastKey: lastKey, hasMore: hasMore)
    }

    /// How many rows of `listing` match every condition.
    public func count(_ listing: Listing, conditions: [Condition]) async throws -> Int64 {
        let (clauses, binds) = clauses(listing, conditions)
        let rows = try await database.query("""
            SELECT count(*) FROM \(listing.from) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
            """, binds)
        return rows.first?.first?.int ?? 0
    }

    /// How many rows of `listing` match every condition, per value of `column` (values without rows absent).
    public func counts(_ listing: Listing, conditions: [Condition], by column: Column) async throws -> [(value: SQLValue, count: Int64)] {
        let (clauses, binds) = clauses(listing, conditions)
        let group = listing.sql(column)
        return try await database.query("""
            SELECT \(group), count(*) FROM \(listing.from) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
            GROUP BY \(group)
            """, binds).map { ($0[0], $0[1].int ?? 0) }
    }

    /// The WHERE clauses (joined with AND) and their values for `conditions`.
    func clauses(_ listing: Listing, _ conditions: [Condition]) -> ([String], [SQLValue]) {
        var clauses: [String] = []
        var binds: [SQLValue] = []
        for condition in conditions {
            let column = listing.sql(condition.column)
            switch condition.test {
            case .equal(let value): clauses.append("\(column) = ?"); binds.append(value)
            case .atLeast(let value): clauses.append("\(column) >= ?"); binds.append(value)
            case .atMost(let value): clauses.append("\(column) <= ?"); binds.append(value)
            case .contains(let text):
                // instr/strpos: a plain substring test, no LIKE wildcards to escape.
                clauses.append(database.dialect == .postgres ? "strpos(\(column), ?) > 0" : "instr(\(column), ?) > 0")
                binds.append(.text(text))
            case .oneOf(let ids):
                clauses.append(ids.isEmpty ? "1 = 0" : "\(column) IN (\(Self.inList(ids)))")
            case .hasRun(let run):
                clauses.append("\(column) IN (SELECT file_id FROM file_runs WHERE run_number = ?)")
                binds.append(.int(run))
            }
        }
        return (clauses, binds)
    }

    /// A field of a page filled in from the name cache: where it goes and where the id it is looked up by is.
    private struct LookedUp {
        let position: Int
        let lookup: Column.Lookup
        let idPosition: Int
    }

    private func fill(_ filled: [LookedUp], in items: inout [PageRow]) async throws {
        func ids(for kinds: (Column.Lookup) -> Bool) -> [Int64]? {
            guard let idPosition = filled.first(where: { kinds($0.lookup) })?.idPosition else { return nil }
            return items.compactMap { $0[position: idPosition].int }
        }
        var monitorElements: [Int64: NameCache.MonitorElement] = [:]
        var datasets: [Int64: NameCache.Dataset] = [:]
        if let ids = ids(for: { !$0.byFile }) { monitorElements = try await names.monitorElements(ids, on: database) }
        if let ids = ids(for: { $0.byFile }) { datasets = try await names.datasets(ofFiles: ids, on: database) }
        for index in items.indices {
            for field in filled {
                guard let id = items[index][position: field.idPosition].int else { continue }
                items[index][position: field.position] = switch field.lookup {
                case .meName: monitorElements[id].map { .text($0.name) } ?? .null
                case .meKind: monitorElements[id].map { .text($0.kind) } ?? .null
                case .dataset: datasets[id].map { .text($0.name) } ?? .null
                case .datasetID: datasets[id].map { .int($0.id) } ?? .null
                }
            }
        }
    }

    /// Ids of the files of datasets `ids` (0: files whose path names no dataset), in id order, for histogram lists, which read
    /// th1/th2 alone.
    public func fileIDs(inDatasets ids: [Int64]) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        // `dataset_id IN` (its index), and the files of no dataset apart: COALESCE would hide the column from the index.
        let named = ids.filter { $0 != 0 }
        var clauses = named.isEmpty ? [] : ["dataset_id IN (\(Self.inList(named)))"]
        if ids.contains(0) { clauses.append("dataset_id IS NULL") }
        return try await database.query("SELECT id FROM files WHERE \(clauses.joined(separator: " OR ")) ORDER BY id", [])
            .compactMap { $0.first?.int }
    }

    /// Ids of the monitor elements with histograms in run `run` of `files`.
    public func monitorElementIDs(run: Int64, files: [Int64]) async throws -> [Int64] {
        guard !files.isEmpty else { return [] }
        let list = Self.inList(files)
        return try await database.query("""
            SELECT DISTINCT me_id FROM th1 WHERE run_number = ? AND file_id IN (\(list))
            UNION SELECT DISTINCT me_id FROM th2 WHERE run_number = ? AND file_id IN (\(list))
            """, [.int(run), .int(run)]).compactMap { $0.first?.int }
    }

    /// Every dataset's id and name, for filters resolved to ids (names and regular expressions).
    public func datasetNames() async throws -> [(id: Int64, name: String)] {
        try await database.query("SELECT id, name FROM datasets", []).compactMap { row in
            guard let id = row[0].int, let name = row[1].text else { return nil }
            return (id, name)
        }
    }

    /// Ids of the files with logical file name `name` (its index).
    public func fileIDs(logicalFileName name: String) async throws -> [Int64] {
        try await database.query("SELECT id FROM files WHERE logical_file_name = ?", [.text(name)]).compactMap { $0.first?.int }
    }

    /// Every file's id and logical file name, for the `logical_file_name__regex` filters.
    public func logicalFileNames() async throws -> [(id: Int64, name: String)] {
        try await database.query("SELECT id, logical_file_name FROM files", []).compactMap { row in
            guard let id = row[0].int, let name = row[1].text else { return nil }
            return (id, name)
        }
    }

    /// Ids of the monitor elements whose name passes `accept` (the table is small: thousands of names).
    public func monitorElementIDs(where accept: (String, String) -> Bool) async throws -> [Int64] {
        try await monitorElements().compactMap { accept($0.name, $0.kind) ? $0.id : nil }
    }

    /// Every monitor element's id, name and kind, for filters the databases spell differently, such as regular
    /// expressions.
    public func monitorElements() async throws -> [(id: Int64, name: String, kind: String)] {
        try await database.query("SELECT id, name, kind FROM monitoring_elements", []).compactMap { row in
            guard let id = row[0].int, let name = row[1].text else { return nil }
            return (id, name, row[2].text ?? "")
        }
    }
}
