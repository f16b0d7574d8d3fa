import Catalog
import DQMIO

/// A selection of per-lumisection histograms as arrays for training: one group per ME, its rows ordered by dataset
/// id, run and LS. `plan` checks the selection (one binning per ME, a precision its kinds allow) before any byte is
/// written, so that what can be refused is refused with a clear error; `write` then streams the file.
public struct HistogramExport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        /// NumPy's archive of `.npy` arrays (what `numpy.load` opens).
        case npz
        /// A row per (ME, run, LS), for spreadsheets.
        case csv

        public var contentType: String { self == .npz ? "application/zip" : "text/csv; charset=utf-8" }
    }

    public enum Precision: String, Sendable {
        case float64, float32
    }

    /// Histograms of one table (th1 or th2) matching the conditions.
    public struct Selection: Sendable {
        public let twoDimensional: Bool
        public let conditions: [Condition]

        public init(twoDimensional: Bool, conditions: [Condition]) {
            self.twoDimensional = twoDimensional
            self.conditions = conditions
        }

        var listing: Listing { twoDimensional ? .th2 : .th1 }
    }

    /// One ME of the export: where its rows are and how they are binned.
    struct Group: Sendable {
        let me: Catalog.ExportGroup
        let selection: Selection

        /// Bins per row: nx, or nx · ny.
        var bins: Int { me.x.bins * (me.y?.bins ?? 1) }
    }

    let catalog: Catalog
    let groups: [Group]
    public let format: Format
    public let precision: Precision

    /// The MEs exported, in name order (the npz's `names`).
    public var names: [String] { groups.map(\.me.name) }
    /// Rows (lumisections of an ME) the export will write, as counted when planned.
    public var rows: Int64 { groups.reduce(0) { $0 + $1.me.rows } }

    /// The export of `selections`, checked: every ME with one binning in the selection, and float32 only for kinds
    /// whose values it holds exactly.
    public static func plan(_ catalog: Catalog, selections: [Selection], format: Format,
                            precision: Precision = .float64) async throws -> HistogramExport {
        var groups: [Group] = []
        for selection in selections {
            let found = try await catalog.exportGroups(selection.listing, twoDimensional: selection.twoDimensional,
                                                       conditions: selection.conditions)
            groups += found.map { Group(me: $0, selection: selection) }
        }
        groups.sort { ($0.me.name, $0.me.firstRun) < ($1.me.name, $1.me.firstRun) }
        try refuseRebinned(groups)
        if precision == .float32, let inexact = groups.first(where: { !Self.float32Kinds.contains($0.me.kind) }) {
            throw ExportError(.inexactPrecision, "ME \(inexact.me.name) is a \(inexact.me.kind), whose values a float32 cannot hold exactly; "
                              + "dtype=float32 takes \(Self.float32Kinds.sorted().joined(separator: ", ")) only")
        }
        return HistogramExport(catalog: catalog, groups: groups, format: format, precision: precision)
    }

    /// Kinds whose every value is exactly a float32: TH*F store float32, TH*S int16.
    static let float32Kinds: Set<String> = ["TH1F", "TH2F", "TH1S", "TH2S"]

    /// An ME re-binned inside the selection cannot be one matrix: the answer names it and the runs of each binning,
    /// so that the user narrows the runs to one of them.
    private static func refuseRebinned(_ groups: [Group]) throws {
        var index = 0
        while index < groups.count {
            let name = groups[index].me.name
            var end = index + 1
            while end < groups.count, groups[end].me.name == name { end += 1 }
            if end - index > 1 {
                let binnings = groups[index..<end].map { group in
                    let shape = [group.me.x, group.me.y].compactMap { $0 }.map { "\($0.bins) bins [\($0.minimum), \($0.maximum)]" + ($0.edges == nil ? "" : " (variable)") }
                    return shape.joined(separator: " × ") + " in runs \(group.me.firstRun)–\(group.me.lastRun)"
                }
                throw ExportError(.rebinned, "ME \(name) changes binning inside the selection: \(binnings.joined(separator: "; ")); "
                                  + "select runs of one binning")
            }
            index = end
        }
    }

    /// Writes the whole file to `sink`, a few MiB at a time; `progress` hears the rows written so far.
    public func write(to sink: ([UInt8]) async throws -> Void, progress: (Int64) -> Void = { _ in }) async throws {
        switch format {
        case .npz: try await writeNPZ(to: sink, progress: progress)
        case .csv: try await writeCSV(to: sink, progress: progress)
        }
    }

    /// Contents read per query: about 1 MiB of doubles, at least one row. Buffers stay below the 4 MiB above
    /// which malloc maps fresh pages for each (`MemoryTuning`): page faults had been a fifth of an export's time.
    static func chunkRows(bins: Int) -> Int { max(1, min(4096, (1 << 20) / max(1, bins * 8))) }

    /// Bytes gathered before they go to the sink (the buffer is kept and refilled).
    static let flushSize = 512 << 10

    /// The contents of `rows` of `group`, a chunk at a time, in order.
    func contents(_ group: Group, _ rows: [Catalog.ExportRow], _ each: ([[Double]], ArraySlice<Catalog.ExportRow>) async throws -> Void) async throws {
        let step = Self.chunkRows(bins: group.bins)
        var start = 0
        while start < rows.count {
            try Task.checkCancellation()
            let chunk = rows[start..<min(rows.count, start + step)]
            let values = try await catalog.exportContents(group.selection.listing, ids: chunk.map(\.id), bins: group.bins)
            try await each(values, chunk)
            start += step
        }
    }

    /// An axis's nx + 1 edges: its own, or ROOT's uniform ones (`TAxis::GetBinLowEdge`: fXmin + k · (fXmax − fXmin) / fNbins).
    static func edges(_ axis: Binning) -> [Double] {
        if let edges = axis.edges { return edges }
        let width = (axis.maximum - axis.minimum) / Double(axis.bins)
        return (0...axis.bins).map { axis.minimum + Double($0) * width }
    }
}

/// Why an export was refused; the API answers 400 with the message.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let rebinned = Code(name: "rebinned")
        public static let inexactPrecision = Code(name: "inexactPrecision")
        public static let empty = Code(name: "empty")
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
