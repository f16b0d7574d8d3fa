/// A TBranch or TBranchElement: where its baskets are and which entries each holds
/// (tree/tree/src/TBranch.cxx `TBranch::Streamer`, TBranchElement.cxx).
///
/// TBranch v13 after TNamed and TAttFill: fCompress, fBasketSize, fEntryOffsetLen, fWriteBasket (i32 ×4),
/// fEntryNumber (i64), fIOFeatures, fOffset, fMaxBaskets, fSplitLevel (i32 ×3), fEntries, fFirstEntry,
/// fTotBytes, fZipBytes (i64 ×4), fBranches, fLeaves, fBaskets (TObjArray ×3), then fBasketBytes (i32),
/// fBasketEntry (i64), fBasketSeek (i64) — each `[fMaxBaskets]` behind a one-byte presence flag — and fFileName.
/// TBranchElement v10 adds fClassName, fParentName, fClonesName, fCheckSum, fClassVersion, fID, fType,
/// fStreamerType, fMaximum and two branch pointers; TBranchObject v1 adds fClassName.
public struct Branch: Sendable {
    public let name: String
    public let className: String
    public let compression: Int32
    public let basketSize: Int32
    public let entryOffsetLength: Int32
    public let entries: Int64
    public let branches: [Branch]
    public let leaves: [Leaf]
    /// Every basket in entry order: those written to the file, then any still held in the tree's own record.
    public let baskets: [BasketRef]
    /// How an entry's bytes encode its value.
    public let content: Content

    public enum Content: Sendable {
        /// TBranch: numbers as its leaves describe.
        case leaves
        /// TBranchElement. A top-level unsplit object (`id == -1`) is streamed member-wise by its class's
        /// streamer info — no version header of its own in the entry — so `classVersion` fixes the layout.
        case element(className: String, classVersion: Int16, id: Int32)
        /// TBranchObject (TLeafObject::ReadBasket): the object with its own Streamer, version header included,
        /// preceded — when the leaf is virtual — by a length byte and the zero-terminated class name.
        case object(className: String, virtual: Bool)
    }

    public struct BasketLocation: Sendable {
        public let index: Int
        public let bytes: Int32
        public let firstEntry: Int64
        public let seek: Int64
    }

    /// The entries basket `index` of `baskets` holds, as the branch's basket list says.
    public func entryRange(ofBasket index: Int) -> Range<Int64> {
        let start = baskets[index].firstEntry
        let end = index + 1 < baskets.count ? baskets[index + 1].firstEntry : entries
        return start..<max(start, end)
    }

    /// The position in `baskets` of the basket holding `entry`.
    public func basketIndex(containing entry: Int64) throws -> Int {
        guard entry >= 0, entry < entries else {
            throw ROOTError(.malformed, "branch \(name): entry \(entry) outside 0..<\(entries)")
        }
        var low = 0
        var high = baskets.count
        while low < high {  // last basket whose first entry ≤ entry
            let middle = (low + high) / 2
            if baskets[middle].firstEntry <= entry { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { throw ROOTError(.malformed, "branch \(name): no basket holds entry \(entry)") }
        return low - 1
    }

    /// Sub-branches this deep are refused: each level is a nested call, and a corrupt file could otherwise declare
    /// enough of them to overflow the stack. DQMIO trees nest two.
    static let maximumDepth = 64

    /// Reads a branch `depth` levels below its tree.
    static func read(_ cursor: inout Cursor, className: String, end: Int?, fileSize: Int64, depth: Int) throws -> Branch {
        guard depth < maximumDepth else {
            throw cursor.error(.malformed, "branches nested more than \(maximumDepth) deep")
        }
        switch className {
        case "TBranch":
            return try readTBranch(&cursor, fileSize: fileSize, depth: depth)
        case "TBranchElement":
            let header = try cursor.versionHeader("TBranchElement")
            guard header.version >= 9 else {
                throw cursor.error(.unsupported, "TBranchElement version \(header.version)", at: header.start)
            }
            let branch = try readTBranch(&cursor, fileSize: fileSize, depth: depth)
            let elementClass = try cursor.string()  // fClassName
            try cursor.skipString()  // fParentName
            try cursor.skipString()  // fClonesName
            _ = try cursor.u32()  // fCheckSum
            let classVersion = try cursor.i16()
            let id = try cursor.i32()
            try cursor.skipToEnd(of: header, "TBranchElement")
            return branch.with(.element(className: elementClass, classVersion: classVersion, id: id), className: className)
        case "TBranchObject":
            let header = try cursor.versionHeader("TBranchObject")
            let branch = try readTBranch(&cursor, fileSize: fileSize, depth: depth)
            let objectClass = try cursor.string()  // fClassName
            try cursor.expectEnd(of: header, "TBranchObject")
            let virtual = branch.leaves.first?.isVirtual ?? true
            return branch.with(.object(className: objectClass, virtual: virtual), className: className)
        default:
            throw cursor.error(.unsupported, "branch class \(className)")
        }
    }

    private static func readTBranch(_ cursor: inout Cursor, fileSize: Int64, depth: Int) throws -> Branch {
        let header = try cursor.versionHeader("TBranch")
        guard header.version == 12 || header.version == 13 else {
            throw cursor.error(.unsupported, "TBranch version \(header.version) (this reader knows 12 and 13)", at: header.start)
        }
        let named = try TNamed(from: &cursor)
        try cursor.skipVersioned("TAttFill")
        let compression = try cursor.i32()
        let basketSize = try cursor.i32()
        let entryOffsetLength = try cursor.i32()
        let writeBasket = Int(try cursor.i32())
        _ = try cursor.i64()  // fEntryNumber
        if header.version >= 13 { try cursor.skipVersioned("ROOT::TIOFeatures") }
        _ = try cursor.i32()  // fOffset
        let maxBaskets = Int(try cursor.i32())
        _ = try cursor.i32()  // fSplitLevel
        let entries = try cursor.i64()
        _ = try cursor.i64()  // fFirstEntry
        _ = try cursor.i64()  // fTotBytes
        _ = try cursor.i64()  // fZipBytes
        guard maxBaskets >= 0, writeBasket >= 0, writeBasket <= maxBaskets, entries >= 0 else {
            throw cursor.error(.malformed, "branch \(named.name): impossible basket counts fWriteBasket=\(writeBasket) fMaxBaskets=\(maxBaskets) fEntries=\(entries)")
        }
        let branches = try ROOTError.framed("branch \(named.name)") {
            try TObjArrayReader.read(from: &cursor) { cursor, _, className, end in
                try Branch.read(&cursor, className: className, end: end, fileSize: fileSize, depth: depth + 1)
            }
        }
        let leaves = try TObjArrayReader.read(from: &cursor) { cursor, _, className, end in
            try Leaf.read(&cursor, className: className, end: end)
        }
        let embedded = try TObjArrayReader.read(from: &cursor) { cursor, slot, className, end -> (Int, Basket) in
            guard className == "TBasket" else { throw cursor.error(.malformed, "a \(className) among the baskets") }
            return (slot, try Basket.readEmbedded(&cursor))
        }
        try cursor.skip(1)
        let basketBytes = try cursor.i32Array(maxBaskets)
        try cursor.skip(1)
        let basketEntry = try cursor.i64Array(maxBaskets)
        let seekFlag = try cursor.u8()
        let basketSeek = seekFlag == 2 || header.version >= 13
            ? try cursor.i64Array(maxBaskets)
            : try cursor.i32Array(maxBaskets).map(Int64.init)
        try cursor.skipString()  // fFileName
        try cursor.expectEnd(of: header, "TBranch")

        var locations: [BasketLocation] = []
        for index in 0..<writeBasket where basketSeek[index] != 0 {
            let location = BasketLocation(index: index, bytes: basketBytes[index], firstEntry: basketEntry[index], seek: basketSeek[index])
            guard location.bytes > 0, location.seek > 0, location.seek <= fileSize - Int64(location.bytes) else {
                throw cursor.error(.malformed, "branch \(named.name): basket \(index) at \(location.seek)+\(location.bytes) lies outside the \(fileSize)-byte file")
            }
            if let previous = locations.last, location.firstEntry < previous.firstEntry {
                throw cursor.error(.malformed, "branch \(named.name): basket \(index) starts at entry \(location.firstEntry), before basket \(previous.index)")
            }
            locations.append(location)
        }
        var baskets = locations.map(BasketRef.stored)
        for (slot, basket) in embedded where basket.entryCount > 0 && slot < basketEntry.count {
            baskets.append(.embedded(basket.withFirstEntry(basketEntry[slot])))
        }
        // Stored or embedded, a basket's entries lie within the branch's: the entry arithmetic relies on it.
        if let outside = baskets.first(where: { !(0...entries).contains($0.firstEntry) }) {
            throw cursor.error(.malformed, "branch \(named.name): a basket starts at entry \(outside.firstEntry), outside 0...\(entries)")
        }
        baskets.sort { $0.firstEntry < $1.firstEntry }
        return Branch(name: named.name, className: "TBranch", compression: compression, basketSize: basketSize,
                      entryOffsetLength: entryOffsetLength, entries: entries, branches: branches, leaves: leaves,
                      baskets: baskets, content: .leaves)
    }

    private func with(_ content: Content, className: String) -> Branch {
        Branch(name: name, className: className, compression: compression, basketSize: basketSize,
               entryOffsetLength: entryOffsetLength, entries: entries, branches: branches, leaves: leaves,
               baskets: baskets, content: content)
    }
}

/// A basket as the branch lists it: a record in the file, or one kept inside the tree's own record.
public enum BasketRef: Sendable {
    case stored(Branch.BasketLocation)
    case embedded(Basket)

    public var firstEntry: Int64 {
        switch self {
        case .stored(let location): location.firstEntry
        case .embedded(let basket): basket.firstEntry
        }
    }

    /// The basket's entries, reading and inflating it if it lives in the file.
    public func load(from source: any ByteSource) throws -> Basket {
        switch self {
        case .stored(let location): try Basket.read(location, from: source)
        case .embedded(let basket): basket
        }
    }
}
