/// Which MEs to read: kinds, name patterns (any may match; none means all), a run, a lumisection, and whether
/// run-level (lumi 0) MEs are wanted. The default is what `dump` prints and the ETL loads: every per-LS
/// 1D and 2D histogram.
public struct Selection: Sendable {
    public var kinds: [MonitorElementKind]
    public var patterns: [NamePattern]
    public var run: UInt32?
    public var lumi: UInt32?
    public var includeRunLevel: Bool

    public init(kinds: [MonitorElementKind] = MonitorElementKind.histograms, patterns: [NamePattern] = [],
                run: UInt32? = nil, lumi: UInt32? = nil, includeRunLevel: Bool = false) {
        self.kinds = kinds
        self.patterns = patterns
        self.run = run
        self.lumi = lumi
        self.includeRunLevel = includeRunLevel
    }

    /// Whether the MEs of an Indices row can be selected at all (names aside).
    public func accepts(_ row: IndexEntry) -> Bool {
        guard let kind = row.kind, kinds.contains(kind) else { return false }
        if row.isRunLevel && !includeRunLevel && lumi != 0 { return false }
        if let run, row.run != run { return false }
        if let lumi, row.lumi != lumi { return false }
        return true
    }

    public func accepts(name: String) -> Bool {
        patterns.isEmpty || patterns.contains { $0.matches(name) }
    }
}
