import ROOTIO

/// An axis as users see it: bins, the low edge of the first bin, the high edge of the last (both as ROOT's
/// TAxis computes them), and the edges for variable binning and labels for labelled axes.
public struct Binning: Sendable, Equatable {
    public let bins: Int
    public let minimum: Double
    public let maximum: Double
    public let edges: [Double]?
    public let labels: [String]?

    /// An axis as stored elsewhere (the catalog reads its rows back into these).
    public init(bins: Int, minimum: Double, maximum: Double, edges: [Double]?, labels: [String]?) {
        self.bins = bins
        self.minimum = minimum
        self.maximum = maximum
        self.edges = edges
        self.labels = labels
    }

    init(_ axis: TAxisMembers) {
        bins = axis.bins
        minimum = axis.lowEdge(1)
        maximum = axis.upEdge(axis.bins)
        // TAxis::GetBinLowEdge for bins 1…n+1: the stored edges, then the last one as ROOT recomputes it.
        edges = axis.edges.isEmpty ? nil : (1...(axis.bins + 1)).map(axis.lowEdge)
        labels = axis.labels
    }
}

/// One histogram of one (run, lumi), ready to load: in-range bin contents only (no under/overflow), 2D as rows
/// (`values[y * x.bins + x]` is data[y][x]). Float32 kinds keep their float32 numbers; profiles give their bin
/// means as doubles, as ROOT's GetBinContent does.
public struct MonitorElement: Sendable {
    public let run: UInt32
    public let lumi: UInt32
    public let kind: MonitorElementKind
    public let name: String
    public let entries: Double
    public let x: Binning
    public let y: Binning?
    public let values: BinStorage

    init(run: UInt32, lumi: UInt32, kind: MonitorElementKind, name: String, content: HistogramContent) {
        self.run = run
        self.lumi = lumi
        self.kind = kind
        self.name = name
        entries = content.entries
        x = content.x
        y = content.y
        values = content.values
    }
}

/// What a MonitorElement holds besides its identity; made on a worker thread from the decoded object.
struct HistogramContent: Sendable {
    let entries: Double
    let x: Binning
    let y: Binning?
    let values: BinStorage

    init(_ histogram: HistogramObject) {
        entries = histogram.members.entries
        x = Binning(histogram.members.xAxis)
        y = histogram.dimension == 2 ? Binning(histogram.members.yAxis) : nil
        values = Self.inRange(histogram)
    }

    /// Cells 1…nx (× 1…ny) of the (nx+2)(ny+2) global cells, row by row.
    private static func inRange(_ histogram: HistogramObject) -> BinStorage {
        let nx = histogram.members.xAxis.bins
        let ny = histogram.dimension == 2 ? histogram.members.yAxis.bins : 1
        let rowStride = nx + 2
        let firstRow = histogram.dimension == 2 ? 1 : 0
        func pick<T>(_ cells: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(nx * ny)
            for row in firstRow..<(firstRow + ny) {
                let start = row * rowStride + 1
                out.append(contentsOf: cells[start..<(start + nx)])
            }
            return out
        }
        if histogram.binEntries != nil {
            var means: [Double] = []
            means.reserveCapacity(nx * ny)
            for row in firstRow..<(firstRow + ny) {
                let start = row * rowStride + 1
                for cell in start..<(start + nx) { means.append(histogram.content(cell: cell)) }
            }
            return .float64(means)
        }
        switch histogram.cells {
        case .float32(let cells): return .float32(pick(cells))
        case .float64(let cells): return .float64(pick(cells))
        case .int16(let cells): return .int16(pick(cells))
        case .int32(let cells): return .int32(pick(cells))
        }
    }

}

extension MonitorElement {
    /// Adds every in-range content to `sum`, one by one in row order, as the ROOT anchor does — so that a
    /// running total over a file agrees with ROOT's to the last bit.
    public func addContents(to sum: inout Double) {
        switch values {
        case .float32(let numbers): for number in numbers { sum += Double(number) }
        case .float64(let numbers): for number in numbers { sum += number }
        case .int16(let numbers): for number in numbers { sum += Double(number) }
        case .int32(let numbers): for number in numbers { sum += Double(number) }
        }
    }
}
