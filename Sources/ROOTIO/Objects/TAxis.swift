/// TAxis v10 (hist/hist/src/TAxis.cxx): TNamed, TAttAxis, fNbins, fXmin, fXmax, fXbins (TArrayD: the edges
/// when bins are variable, else empty), fFirst, fLast, fBits2, fTimeDisplay, fTimeFormat, fLabels (THashList*
/// of TObjString whose fUniqueID is the bin number), fModLabs (TList*).
public struct TAxisMembers: Sendable {
    public let bins: Int
    public let minimum: Double
    public let maximum: Double
    /// `bins + 1` edges for variable binning, empty for fixed.
    public let edges: [Double]
    /// Labels by bin (1-based bin i at index i − 1) when the axis has a label list; "" for bins without one.
    public let labels: [String]?

    static func read(_ cursor: inout Cursor) throws -> TAxisMembers {
        let header = try cursor.versionHeader("TAxis")
        guard header.version >= 9 && header.version <= 10 else {
            throw cursor.error(.unsupported, "TAxis version \(header.version) (this reader knows 9 and 10)", at: header.start)
        }
        try TNamed.skip(&cursor)
        try cursor.skipVersioned("TAttAxis")
        let bins = Int(try cursor.i32())
        let minimum = try cursor.f64()
        let maximum = try cursor.f64()
        let edges = try cursor.arrayD("fXbins length")
        // Each bin has at least one stored cell after the axes, so more bins than bytes left is corruption.
        guard bins >= 0, bins <= cursor.remaining, edges.isEmpty || edges.count == bins + 1 else {
            throw cursor.error(.malformed, "TAxis with \(bins) bins and \(edges.count) edges")
        }
        try cursor.skip(4 + 4 + 2 + 1)  // fFirst, fLast, fBits2, fTimeDisplay
        try cursor.skipString()  // fTimeFormat
        var labels: [String]?
        if case .object(let className, _) = try cursor.objectTag() {
            labels = try readLabels(&cursor, className: className, bins: bins)
        }
        try cursor.skipObject()  // fModLabs
        try cursor.expectEnd(of: header, "TAxis")
        return TAxisMembers(bins: bins, minimum: minimum, maximum: maximum, edges: edges, labels: labels)
    }

    private static func readLabels(_ cursor: inout Cursor, className: String, bins: Int) throws -> [String] {
        let strings = try TListReader.read(from: &cursor, className: className) { cursor, elementClass -> (UInt32, String)? in
            guard elementClass == "TObjString" else { return nil }
            let header = try cursor.versionHeader("TObjString")
            let object = try TObjectMembers(from: &cursor)
            let text = try cursor.string()
            try cursor.expectEnd(of: header, "TObjString")
            return (object.uniqueID, text)
        }
        // TAxis::GetBinLabel: the first label whose unique id is the bin number.
        var labels = [String](repeating: "", count: bins)
        var seen = Set<UInt32>()
        for (bin, text) in strings where bin >= 1 && bin <= bins && seen.insert(bin).inserted {
            labels[Int(bin) - 1] = text
        }
        return labels
    }

    /// TAxis::GetBinLowEdge, computed exactly as ROOT does (so the doubles agree bit for bit).
    public func lowEdge(_ bin: Int) -> Double {
        if !edges.isEmpty && bin > 0 && bin <= bins { return edges[bin - 1] }
        let width = (maximum - minimum) / Double(bins)
        return minimum + Double(bin - 1) * width
    }

    /// TAxis::GetBinUpEdge.
    public func upEdge(_ bin: Int) -> Double {
        if edges.isEmpty || bin < 1 || bin > bins {
            let width = (maximum - minimum) / Double(bins)
            return minimum + Double(bin) * width
        }
        return edges[bin]
    }
}
