/// One bit per entry of a tree: which entries a name filter kept. It grows with the entries inserted — never sized
/// from a count in the file, which may be corrupt — so 2 M kept entries cost 256 KiB.
struct EntryBitset: Sendable {
    private var words: [UInt64] = []

    mutating func insert(_ entry: Int64) {
        let word = Int(entry >> 6)
        if word >= words.count { words += [UInt64](repeating: 0, count: word + 1 - words.count) }
        words[word] |= 1 << UInt64(entry & 63)
    }

    func contains(_ entry: Int64) -> Bool {
        let word = Int(entry >> 6)
        return word < words.count && words[word] & (1 << UInt64(entry & 63)) != 0
    }
}

/// The entries of the selected Indices rows a read wants: all of them, or those a name filter kept.
enum WantedEntries: Sendable {
    case all
    case only(EntryBitset)

    func contains(_ entry: Int64) -> Bool {
        switch self {
        case .all: true
        case .only(let bits): bits.contains(entry)
        }
    }

    var isAll: Bool { if case .all = self { true } else { false } }
}
