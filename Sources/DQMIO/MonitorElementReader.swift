import ROOTIO

/// Streams the selected MEs of a file in Indices order, holding only a few baskets in memory.
///
/// 1. Indices rows are filtered by kind, run, lumi and run-level; the entries they point at are marked wanted.
/// 2. With name patterns, a first pass over the (small) FullName baskets keeps only the matching entries, so
///    Value baskets holding none of them are never read.
/// 3. Every basket the pass needs is a job — read, inflate, decode the wanted entries — scheduled in order of
///    use and run ahead on `threads` workers; the calling thread joins names to contents and calls `body`.
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
        let trees = try openTrees(rows)
        let wanted = try wantedEntries(rows, trees)
        let source = file.root.source
        let baskets = InflatedBaskets()
        let jobs = try schedule(rows, trees, wanted, baskets)
        let prefetcher = threads > 1
            ? OrderedPrefetcher<DecodedBatch.Key, DecodedBatch>(schedule: jobs, workers: threads, cost: { $0.byteCount })
            : nil
        defer { prefetcher?.finish() }
        var current: [DecodedBatch.Key.Slot: DecodedBatch] = [:]

        func batch(_ kind: MonitorElementKind, isValue: Bool, holding entry: Int64) throws -> DecodedBatch {
            let slot = DecodedBatch.Key.Slot(kind: kind, isValue: isValue)
            if let batch = current[slot], batch.range.contains(entry) { return batch }
            guard let tree = trees[kind], let bits = wanted[kind] else {
                throw DQMIOError(.layout, "no tree open for \(kind.name)", path: file.path)
            }
            let key = try DecodedBatch.key(kind, isValue: isValue, branch: isValue ? tree.values : tree.names, entry: entry)
            let batch = try prefetcher?.take(key)
                ?? DecodedBatch.decode(key, tree: tree, wanted: bits, source: source, baskets: baskets)
            current[slot] = batch
            return batch
        }

        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let bits = wanted[kind] else { continue }
                for entry in Int64(row.firstIndex)...Int64(row.lastIndex) where bits.contains(entry) {
                    let names = try batch(kind, isValue: false, holding: entry)
                    let values = try batch(kind, isValue: true, holding: entry)
                    guard let content = values.contents[Int(entry - values.range.lowerBound)] else {
                        throw DQMIOError(.layout, "entry \(entry) of \(kind.treeName) was not decoded", path: file.path)
                    }
                    let name = names.names[Int(entry - names.range.lowerBound)]
                    try body(MonitorElement(run: row.run, lumi: row.lumi, kind: kind, name: name, content: content))
                }
            }
        }
    }

    /// How many MEs `forEach` would deliver: from the Indices alone, or — with name patterns — after reading the
    /// FullName branches (never the histograms).
    public func count() throws -> Int {
        let rows = file.indices.filter(selection.accepts)
        guard !selection.patterns.isEmpty else { return rows.reduce(0) { $0 + Int($1.meCount) } }  // ≤ 2^40 per kind (IndexEntry)
        let wanted = try wantedEntries(rows, try openTrees(rows))
        var total = 0
        for row in rows {
            guard let kind = row.kind, let bits = wanted[kind] else { continue }
            for entry in Int64(row.firstIndex)...Int64(row.lastIndex) where bits.contains(entry) { total += 1 }
        }
        return total
    }

    private func openTrees(_ rows: [IndexEntry]) throws -> [MonitorElementKind: MonitorElementTree] {
        var trees: [MonitorElementKind: MonitorElementTree] = [:]
        for row in rows {
            guard let kind = row.kind else { continue }
            if trees[kind] == nil { trees[kind] = try MonitorElementTree(kind, in: file) }
            if let tree = trees[kind], row.lastIndex >= UInt64(tree.entries) {
                throw DQMIOError(.layout, "Indices row (run \(row.run), lumi \(row.lumi)) points at \(kind.treeName) entry \(row.lastIndex), the tree has \(tree.entries)", path: file.path)
            }
        }
        return trees
    }

    /// Per kind, the entries of the selected rows to read: all of them without patterns, else those whose name
    /// matches (each distinct name is matched once: the same MEs recur every lumisection).
    private func wantedEntries(_ rows: [IndexEntry], _ trees: [MonitorElementKind: MonitorElementTree]) throws -> [MonitorElementKind: WantedEntries] {
        guard !selection.patterns.isEmpty else {
            return Dictionary(uniqueKeysWithValues: trees.keys.map { ($0, WantedEntries.all) })
        }
        var kept: [MonitorElementKind: EntryBitset] = [:]
        var readers: [MonitorElementKind: EntryReader] = [:]
        var verdicts: [String: Bool] = [:]
        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let tree = trees[kind] else { continue }
                var bits = kept[kind] ?? EntryBitset()
                var reader = readers[kind] ?? EntryReader(branch: tree.names, source: file.root.source)
                for entry in Int64(row.firstIndex)...Int64(row.lastIndex) {
                    let name = try tree.readName(&reader, entry)
                    let keep = verdicts[name] ?? selection.accepts(name: name)
                    verdicts[name] = keep
                    if keep { bits.insert(entry) }
                }
                readers[kind] = reader
                kept[kind] = bits
            }
        }
        return kept.mapValues(WantedEntries.only)
    }

    /// The jobs of the main pass, in the order it will ask for their results; each basket's planned uses are
    /// announced to `baskets` so that it is inflated once and dropped after its last chunk.
    private func schedule(_ rows: [IndexEntry], _ trees: [MonitorElementKind: MonitorElementTree],
                          _ wanted: [MonitorElementKind: WantedEntries],
                          _ baskets: InflatedBaskets) throws -> [OrderedPrefetcher<DecodedBatch.Key, DecodedBatch>.Entry] {
        var jobs: [OrderedPrefetcher<DecodedBatch.Key, DecodedBatch>.Entry] = []
        var covered: [DecodedBatch.Key.Slot: Range<Int64>] = [:]
        let source = file.root.source
        try file.root.attributing {
            for row in rows {
                guard let kind = row.kind, let tree = trees[kind], let bits = wanted[kind] else { continue }
                var entry = Int64(row.firstIndex)
                while entry <= Int64(row.lastIndex) {
                    guard bits.contains(entry) else {
                        entry += 1
                        continue
                    }
                    var chunkEnd = Int64(row.lastIndex) + 1
                    for isValue in [false, true] {
                        let slot = DecodedBatch.Key.Slot(kind: kind, isValue: isValue)
                        if covered[slot]?.contains(entry) != true {
                            let branch = isValue ? tree.values : tree.names
                            let key = try DecodedBatch.key(kind, isValue: isValue, branch: branch, entry: entry)
                            covered[slot] = DecodedBatch.range(of: key, in: branch)
                            baskets.expect(key.basket, uses: 1)
                            let group = Int(kind.rawValue) * 2 + (isValue ? 1 : 0)
                            jobs.append(.init(key: key, group: group) {
                                try DecodedBatch.decode(key, tree: tree, wanted: bits, source: source, baskets: baskets)
                            })
                        }
                        chunkEnd = min(chunkEnd, covered[slot]?.upperBound ?? entry + 1)
                    }
                    // Every wanted entry up to the nearer chunk end is served by these two jobs: skip to it.
                    entry = bits.isAll ? max(entry + 1, chunkEnd) : entry + 1
                }
            }
        }
        return jobs
    }
}
