/// A decoded TH1*/TH2*/TProfile/TProfile2D: ROOT's members, not yet turned into in-range values (that is
/// `DQMIO`'s job). Decoders are chosen by (class, version); anything else is refused by name.
public struct HistogramObject: Sendable {
    public let className: String
    public let dimension: Int
    public let members: TH1Members
    /// fArray: every cell, flow bins included, x fastest.
    public let cells: BinStorage
    /// Profiles only: fBinEntries, the sum of weights per cell.
    public let binEntries: [Double]?

    /// Classes this reader decodes, with the class versions it knows.
    public static let supported: [String: ClosedRange<Int16>] = [
        "TH1F": 3...3, "TH1S": 3...3, "TH1D": 3...3, "TH1I": 3...3,
        "TH2F": 4...4, "TH2S": 4...4, "TH2D": 4...4, "TH2I": 4...4,
        "TProfile": 6...7, "TProfile2D": 7...8,
    ]

    /// TH1::GetBinContent / TProfile::GetBinContent for a global cell number.
    @inline(__always)
    public func content(cell: Int) -> Double {
        guard let binEntries else { return cells[cell] }
        let weight = binEntries[cell]
        return weight == 0 ? 0 : cells[cell] / weight
    }

    /// Decodes an object streamed member-wise by its streamer info, as an unsplit TBranchElement stores it:
    /// no header of its own, its layout fixed by `version`.
    public static func decodeMembers(_ cursor: inout Cursor, className: String, version: Int16) throws -> HistogramObject {
        guard let known = supported[className], known.contains(version) else {
            throw cursor.error(.unsupported, "\(className) version \(version)")
        }
        return try ROOTError.framed(className) {
            switch className {
            case "TH1F": try plain(&cursor, className, 1, .float32)
            case "TH1S": try plain(&cursor, className, 1, .int16)
            case "TH1D": try plain(&cursor, className, 1, .float64)
            case "TH1I": try plain(&cursor, className, 1, .int32)
            case "TH2F": try plain(&cursor, className, 2, .float32)
            case "TH2S": try plain(&cursor, className, 2, .int16)
            case "TH2D": try plain(&cursor, className, 2, .float64)
            case "TH2I": try plain(&cursor, className, 2, .int32)
            case "TProfile": try profile(&cursor, className, 1, version: version)
            default: try profile(&cursor, className, 2, version: version)
            }
        }
    }

    /// Decodes an object written with its own version header (e.g. a histogram stored under a key).
    public static func decode(_ cursor: inout Cursor, className: String) throws -> HistogramObject {
        let header = try cursor.versionHeader(className)
        let histogram = try decodeMembers(&cursor, className: className, version: header.version)
        try cursor.expectEnd(of: header, className)
        return histogram
    }

    private static func plain(_ cursor: inout Cursor, _ className: String, _ dimension: Int, _ element: BinStorage.Element) throws -> HistogramObject {
        let members = dimension == 1 ? try TH1Members.read(&cursor) : try TH1Members.readTH2(&cursor)
        let cells = try BinStorage.read(element, from: &cursor, what: "fArray length")
        return try HistogramObject(className: className, dimension: dimension, members: members, cells: cells, binEntries: nil, cursor: cursor)
    }

    /// TProfile v6–7: TH1D, fBinEntries, fErrorMode, fYmin, fYmax, fTsumwy, fTsumwy2, fBinSumw2.
    /// TProfile2D v7–8: TH2D, fBinEntries, fErrorMode, fZmin, fZmax, fTsumwz, fTsumwz2, fBinSumw2.
    private static func profile(_ cursor: inout Cursor, _ className: String, _ dimension: Int, version: Int16) throws -> HistogramObject {
        let base = dimension == 1 ? "TH1D" : "TH2D"
        let header = try cursor.versionHeader(base)
        let inner = try decodeMembers(&cursor, className: base, version: header.version)
        try cursor.expectEnd(of: header, base)
        let binEntries = try cursor.arrayD("fBinEntries length")
        try cursor.skip(4 + 4 * 8)  // fErrorMode, range and sums
        try cursor.skip(8 * cursor.count(elementSize: 8, what: "fBinSumw2 length"))
        guard binEntries.count == inner.cells.count else {
            throw cursor.error(.malformed, "\(binEntries.count) bin entries for \(inner.cells.count) cells")
        }
        return try HistogramObject(className: className, dimension: dimension, members: inner.members,
                                   cells: inner.cells, binEntries: binEntries, cursor: cursor)
    }

    private init(className: String, dimension: Int, members: TH1Members, cells: BinStorage, binEntries: [Double]?, cursor: Cursor) throws {
        let x = members.xAxis.bins + 2
        let y = dimension == 2 ? members.yAxis.bins + 2 : 1
        guard cells.count == members.cells, cells.count == x * y else {
            throw cursor.error(.malformed, "\(className) has \(cells.count) cells, fNcells says \(members.cells), axes say \(x * y)")
        }
        self.className = className
        self.dimension = dimension
        self.members = members
        self.cells = cells
        self.binEntries = binEntries
    }
}
