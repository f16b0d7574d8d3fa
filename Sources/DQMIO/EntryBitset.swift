/// One bit per entry of a tree: which entries the selection wants. 2 M entries cost 256 KiB.
struct EntryBitset: Sendable {
    private var words: [UInt64]

    init(count: Int64) { words = [UInt64](repeating: 0, count: Int((count + 63) / 64)) }

    mutating func insert(_ entry: Int64) { words[Int(entry >> 6)] |= 1 << UInt64(entry & 63) }

    func contains(_ entry: Int64) -> Bool { words[Int(entry >> 6)] & (1 << UInt64(entry & 63)) != 0 }
}
