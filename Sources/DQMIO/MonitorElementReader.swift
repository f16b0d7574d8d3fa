import ROOTIO

/// Streams the selected MEs of a file in Indices order, holding only a few baskets in memory.
///
/// 1. Indices rows are filtered by kind, run, lumi and run-level.
/// 2. With name patterns, a first pass over the (small) FullName baskets marks the wanted entries, so Value
///    baskets holding none of them are never read.
/// 3. The baskets the pass will need are scheduled in order of use and inflated ahead on `threads` workers;
///    the calling thread decodes histograms and calls `body` for each.
public struct MonitorElementReader {
    public let file: DQMIOFile
    public let selection: Selection
    public let threads: Int

    public init(file: DQMIOFile, selection: Selection, threads: Int) {
        self.file = file
        self.selection = selection
        self.threads = max(1, threads)
    }

    public func forEach(_ body: (MonitorElement) throws -> Void) throws {
        let rows = file.indices.filter(selection.accepts)
        var trees: [MonitorElementKind: MonitorElementTree] = [:]
        for row in rows {
            guard let kind = row.kind else { continue }
            if trees[kind] == nil { trees[kind] = try MonitorElementTree(kind, in: file) }
            if let tree = trees[kind], row.lastIndex >= UInt64(tree.entries) {
                throw DQMIOError(.layout, "Indices row (run \(row.run), lumi \(row.lumi)) points at \(kind.treeName) entry \(row.lastIndex), the tree has \(tree.entries)", path: file.path)
            }
        }
        let chosen = selection.patterns.isEmpty ? nil : try entriesMatchingNames(rows, trees)
        let prefetcher = threads > 1
            ? BasketPrefetcher(schedule: try schedule(rows, trees, chosen), source: file.root.source, workers: threads)
            : nil
        var nameReaders: [MonitorElementKind: EntryReader] = [:]
        var valueReaders: [MonitorElementKind: EntryReader] = [:]
        for (kind, tree) in trees {
            nameReaders[kind] = EntryReader(branch: tree.names, source: file.root.source, prefetcher: prefetcher, prefetchKey: tree.nameKey)
            valueReaders[kind] = EntryReader(branch: tree.values, source: file.root.source, prefetcher: prefetcher, prefetchKey: tree.valueKey)
        }
        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let tree = trees[kind] else { continue }
                for entry in Int64(row.firstIndex)...Int64(row.lastIndex) {
                    if let chosen, chosen[kind]?.contains(entry) != true { continue }
                    let name = try tree.readName(&nameReaders[kind, default: EntryReader(branch: tree.names, source: file.root.source)], entry)
                    let histogram = try tree.readValue(&valueReaders[kind, default: EntryReader(branch: tree.values, source: file.root.source)], entry)
                    try body(MonitorElement(run: row.run, lumi: row.lumi, kind: kind, name: name, histogram: histogram))
                }
            }
        }
    }

    /// Marks, per kind, the entries of the selected rows whose name matches a pattern. Each distinct name is
    /// matched once (the same MEs recur every lumisection).
    private func entriesMatchingNames(_ rows: [IndexEntry], _ trees: [MonitorElementKind: MonitorElementTree]) throws -> [MonitorElementKind: EntryBitset] {
        var chosen: [MonitorElementKind: EntryBitset] = [:]
        var readers: [MonitorElementKind: EntryReader] = [:]
        var verdicts: [String: Bool] = [:]
        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let tree = trees[kind] else { continue }
                var reader = readers[kind] ?? EntryReader(branch: tree.names, source: file.root.source)
                var bits = chosen[kind] ?? EntryBitset(count: tree.entries)
                for entry in Int64(row.firstIndex)...Int64(row.lastIndex) {
                    let name = try tree.readName(&reader, entry)
                    let keep = verdicts[name] ?? selection.accepts(name: name)
                    verdicts[name] = keep
                    if keep { bits.insert(entry) }
                }
                readers[kind] = reader
                chosen[kind] = bits
            }
        }
        return chosen
    }

    /// The baskets the main pass will ask for, in the order it will ask.
    private func schedule(_ rows: [IndexEntry], _ trees: [MonitorElementKind: MonitorElementTree],
                          _ chosen: [MonitorElementKind: EntryBitset]?) throws -> [(request: BasketPrefetcher.Request, basket: BasketRef)] {
        var jobs: [(request: BasketPrefetcher.Request, basket: BasketRef)] = []
        var current: [Int: (index: Int, range: Range<Int64>)] = [:]
        func need(_ branch: Branch, key: Int, entry: Int64) throws {
            if let known = current[key], known.range.contains(entry) { return }
            let index = try branch.basketIndex(containing: entry)
            let end = index + 1 < branch.baskets.count ? branch.baskets[index + 1].firstEntry : branch.entries
            current[key] = (index, branch.baskets[index].firstEntry..<end)
            jobs.append((.init(branch: key, basket: index), branch.baskets[index]))
        }
        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let tree = trees[kind] else { continue }
                for entry in Int64(row.firstIndex)...Int64(row.lastIndex) {
                    if let chosen, chosen[kind]?.contains(entry) != true { continue }
                    try need(tree.names, key: tree.nameKey, entry: entry)
                    try need(tree.values, key: tree.valueKey, entry: entry)
                }
            }
        }
        return jobs
    }
}
