/// A TTree's metadata: entry count and branches (tree/tree/src/TTree.cxx, `TTree::Streamer`).
///
/// TTree v20 after TNamed, TAttLine, TAttFill, TAttMarker: fEntries, fTotBytes, fZipBytes, fSavedBytes,
/// fFlushedBytes (i64), fWeight (f64), fTimerInterval, fScanField, fUpdate, fDefaultEntryOffsetLen,
/// fNClusterRange (i32), fMaxEntries, fMaxEntryLoop, fMaxVirtualSize, fAutoSave, fAutoFlush, fEstimate (i64),
/// fClusterRangeEnd and fClusterSize (flag + i64[fNClusterRange]), fIOFeatures, fBranches, fLeaves, then
/// aliases, indices, friends and user info, which are skipped by the byte count.
public struct Tree: Sendable {
    public let name: String
    public let entries: Int64
    public let branches: [Branch]

    public static func read(_ key: Key, from file: ROOTFile) throws -> Tree {
        try file.attributing {
            try ROOTError.framed("tree \(key.name)") {
                guard key.className == "TTree" else {
                    throw ROOTError(.notFound, "\(key.name) is a \(key.className), not a TTree", offset: key.seekKey)
                }
                var cursor = try key.payloadCursor(from: file.source)
                return try read(&cursor, fileSize: file.source.size)
            }
        }
    }

    public static func read(named name: String, from file: ROOTFile) throws -> Tree {
        try read(try file.key(name), from: file)
    }

    static func read(_ cursor: inout Cursor, fileSize: Int64) throws -> Tree {
        let header = try cursor.versionHeader("TTree")
        guard header.version == 20 || header.version == 19 else {
            throw cursor.error(.unsupported, "TTree version \(header.version) (this reader knows 19 and 20)", at: header.start)
        }
        let named = try TNamed(from: &cursor)
        try cursor.skipVersioned("TAttLine")
        try cursor.skipVersioned("TAttFill")
        try cursor.skipVersioned("TAttMarker")
        let entries = try cursor.i64()
        try cursor.skip(4 * 8 + 8 + 4 * 4)  // byte totals, fWeight, fTimerInterval … fDefaultEntryOffsetLen
        let clusterRanges = try cursor.count(elementSize: 16, what: "fNClusterRange")
        try cursor.skip(6 * 8)  // fMaxEntries … fEstimate
        try cursor.skip(1 + 8 * clusterRanges)  // fClusterRangeEnd
        try cursor.skip(1 + 8 * clusterRanges)  // fClusterSize
        if header.version >= 20 { try cursor.skipVersioned("ROOT::TIOFeatures") }
        let branches = try TObjArrayReader.read(from: &cursor) { cursor, _, className, end in
            try Branch.read(&cursor, className: className, end: end, fileSize: fileSize, depth: 0)
        }
        try cursor.skipToEnd(of: header, "TTree")
        guard entries >= 0 else { throw cursor.error(.malformed, "negative entry count \(entries)") }
        return Tree(name: named.name, entries: entries, branches: branches)
    }

    public func branch(_ name: String) throws -> Branch {
        guard let branch = branches.first(where: { $0.name == name }) else {
            throw ROOTError(.notFound, "tree \(self.name) has no branch \"\(name)\" (has: \(branches.map(\.name).joined(separator: ", ")))")
        }
        return branch
    }
}
