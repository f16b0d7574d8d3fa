/// Reads one branch's entries, keeping the current basket in memory; entries are cheapest asked for in order.
public struct EntryReader {
    public let branch: Branch
    private let source: any ByteSource
    private var basket: Basket?

    public init(branch: Branch, source: any ByteSource) {
        self.branch = branch
        self.source = source
    }

    /// The bytes of `entry`: a cursor at its start and the index where it ends.
    public mutating func entry(_ entry: Int64) throws -> (cursor: Cursor, end: Int) {
        try ROOTError.framed("branch \(branch.name), entry \(entry)") {
            if let basket, basket.entryRange.contains(entry) {
                return try basket.cursor(forEntry: entry)
            }
            let loaded = try branch.baskets[try branch.basketIndex(containing: entry)].load(from: source)
            basket = loaded
            return try loaded.cursor(forEntry: entry)
        }
    }

    /// Every entry of a branch of fixed-size numbers, decoded by `decode` (e.g. `{ try $0.u32() }`).
    public static func readAll<T>(_ branch: Branch, from source: any ByteSource,
                                  decode: (inout Cursor) throws -> T) throws -> [T] {
        var reader = EntryReader(branch: branch, source: source)
        var values: [T] = []
        values.reserveCapacity(Int(min(branch.entries, 1 << 16)))  // fEntries may be corrupt: grow, don't trust
        for entry in 0..<branch.entries {
            var (cursor, end) = try reader.entry(entry)
            values.append(try decode(&cursor))
            guard cursor.index == end else {
                throw cursor.error(.mismatch, "branch \(branch.name) entry \(entry) is \(end - cursor.index) bytes longer than its value")
            }
        }
        return values
    }
}
