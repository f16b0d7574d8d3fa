import ROOTIO

/// A chunk of consecutive entries of one basket of a kind's tree, decoded: the unit of work the reader's
/// threads share. Names hold every entry of their chunk; contents only the entries the selection wants.
struct DecodedBatch: Sendable {
    let range: Range<Int64>
    let names: [String]
    let contents: [HistogramContent?]

    /// Which chunk of which basket of which branch of which kind.
    struct Key: Hashable, Sendable {
        let basket: InflatedBaskets.ID
        let chunk: Int

        /// The branch a key belongs to, whatever the basket.
        struct Slot: Hashable {
            let kind: MonitorElementKind
            let isValue: Bool
        }
    }

    /// Entries per chunk, from the basket's size on disk: about 1 MiB of compressed entries per chunk, so the
    /// decoded histograms of a chunk stay a few megabytes whatever size ROOT gave the basket.
    static func chunkLength(_ branch: Branch, basket index: Int) -> Int64 {
        let entries = max(1, branch.entryRange(ofBasket: index).count)
        guard case .stored(let location) = branch.baskets[index], location.bytes > 1 << 20 else { return Int64(entries) }
        let chunks = (Int(location.bytes) + (1 << 20) - 1) >> 20
        return Int64(max(1, (entries + chunks - 1) / chunks))
    }

    /// The key of the chunk holding `entry`.
    static func key(_ kind: MonitorElementKind, isValue: Bool, branch: Branch, entry: Int64) throws -> Key {
        let index = try branch.basketIndex(containing: entry)
        let offset = entry - branch.entryRange(ofBasket: index).lowerBound
        let chunk = Int(offset / chunkLength(branch, basket: index))
        return Key(basket: .init(kind: kind, isValue: isValue, basket: index), chunk: chunk)
    }

    /// The entries of chunk `key`.
    static func range(of key: Key, in branch: Branch) -> Range<Int64> {
        let basketRange = branch.entryRange(ofBasket: key.basket.basket)
        let length = chunkLength(branch, basket: key.basket.basket)
        let start = basketRange.lowerBound + Int64(key.chunk) * length
        return start..<min(basketRange.upperBound, start + length)
    }

    /// Reads (or shares) and inflates the basket, then decodes the chunk's entries.
    static func decode(_ key: Key, tree: MonitorElementTree, wanted: WantedEntries, source: any ByteSource,
                       baskets: InflatedBaskets) throws -> DecodedBatch {
        let branch = key.basket.isValue ? tree.values : tree.names
        let basketRange = branch.entryRange(ofBasket: key.basket.basket)
        let basket = try ROOTError.framed("tree \(tree.kind.treeName) > branch \(branch.name)") {
            try baskets.basket(key.basket) { try branch.baskets[key.basket.basket].load(from: source) }
        }
        guard basket.entryRange.lowerBound == basketRange.lowerBound, basket.entryRange.upperBound >= basketRange.upperBound else {
            throw ROOTError(.malformed, "tree \(tree.kind.treeName) > branch \(branch.name): basket \(key.basket.basket) holds entries \(basket.entryRange), the branch lists \(basketRange)")
        }
        let range = Self.range(of: key, in: branch)
        if key.basket.isValue {
            let contents = try range.map { entry -> HistogramContent? in
                guard wanted.contains(entry) else { return nil }
                let (cursor, end) = try basket.cursor(forEntry: entry)
                return HistogramContent(try tree.decodeValue(cursor, end: end, entry: entry))
            }
            return DecodedBatch(range: range, names: [], contents: contents)
        }
        let names = try range.map { entry -> String in
            let (cursor, end) = try basket.cursor(forEntry: entry)
            return try ROOTError.framed("tree \(tree.kind.treeName) > branch FullName") { try tree.decodeName(cursor, end: end, entry: entry) }
        }
        return DecodedBatch(range: range, names: names, contents: [])
    }

    /// Approximate memory held: bin values and name characters.
    var byteCount: Int {
        names.reduce(0) { $0 + $1.utf8.count + 16 } + contents.reduce(0) { total, content in
            guard let content else { return total + 8 }
            return total + 64 + content.values.count * content.values.elementSize
        }
    }
}
