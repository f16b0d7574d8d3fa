/// TH1 v7–8 (hist/hist/src/TH1.cxx, streamer info in every DQMIO file): TNamed, TAttLine, TAttFill, TAttMarker,
/// fNcells, fXaxis, fYaxis, fZaxis, fBarOffset, fBarWidth, fEntries, fTsumw, fTsumw2, fTsumwx, fTsumwx2,
/// fMaximum, fMinimum, fNormFactor, fContour, fSumw2, fOption, fFunctions (TList, inline), fBufferSize,
/// fBuffer ([fBufferSize] behind a presence byte), fBinStatErrOpt (v7+), fStatOverflows (v8).
public struct TH1Members: Sendable {
    public let cells: Int
    public let xAxis: TAxisMembers
    public let yAxis: TAxisMembers
    public let zAxis: TAxisMembers
    public let entries: Double

    static func read(_ cursor: inout Cursor) throws -> TH1Members {
        let header = try cursor.versionHeader("TH1")
        guard header.version == 7 || header.version == 8 else {
            throw cursor.error(.unsupported, "TH1 version \(header.version) (this reader knows 7 and 8)", at: header.start)
        }
        try TNamed.skip(&cursor)
        try cursor.skipVersioned("TAttLine")
        try cursor.skipVersioned("TAttFill")
        try cursor.skipVersioned("TAttMarker")
        let cells = Int(try cursor.i32())
        let x = try ROOTError.framed("fXaxis") { try TAxisMembers.read(&cursor) }
        let y = try ROOTError.framed("fYaxis") { try TAxisMembers.read(&cursor) }
        let z = try ROOTError.framed("fZaxis") { try TAxisMembers.read(&cursor) }
        try cursor.skip(2 + 2)  // fBarOffset, fBarWidth
        let entries = try cursor.f64()
        try cursor.skip(7 * 8)  // fTsumw … fNormFactor
        try cursor.skip(8 * cursor.count(elementSize: 8, what: "fContour length"))
        try cursor.skip(8 * cursor.count(elementSize: 8, what: "fSumw2 length"))
        try cursor.skipString()  // fOption
        try cursor.skipVersioned("TList")  // fFunctions: a `//->` member, streamed inline (no class tag)
        let bufferSize = try cursor.count(elementSize: 0, what: "fBufferSize")
        if try cursor.u8() != 0 {
            let buffer = try cursor.f64Array(bufferSize)
            // GetBinContent would first empty this fill buffer into the bins; refuse rather than disagree.
            if let pending = buffer.first, pending != 0 {
                throw cursor.error(.unsupported, "histogram with \(pending) entries still in its fill buffer")
            }
        }
        try cursor.skip(header.version >= 8 ? 8 : 4)  // fBinStatErrOpt, fStatOverflows
        try cursor.expectEnd(of: header, "TH1")
        return TH1Members(cells: cells, xAxis: x, yAxis: y, zAxis: z, entries: entries)
    }

    /// TH2 v4–5: TH1, then fScalefactor, fTsumwy, fTsumwy2, fTsumwxy.
    static func readTH2(_ cursor: inout Cursor) throws -> TH1Members {
        let header = try cursor.versionHeader("TH2")
        guard header.version == 4 || header.version == 5 else {
            throw cursor.error(.unsupported, "TH2 version \(header.version) (this reader knows 4 and 5)", at: header.start)
        }
        let th1 = try read(&cursor)
        try cursor.skip(4 * 8)
        try cursor.expectEnd(of: header, "TH2")
        return th1
    }
}
