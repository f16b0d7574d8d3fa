import Foundation

/// One line of a `*.truth.jsonl` file (ROOT's reading of a fixture), decoded with `JSONDecoder`, whose number
/// parsing is exact (Foundation's JSONSerialization on Linux rounds some doubles, e.g. 0.1).
public struct TruthRecord: Decodable, Sendable, Equatable {
    public struct Axis: Decodable, Sendable, Equatable {
        public let bins: Int
        public let min: Double
        public let max: Double
        public let edges: [Double]?
        public let labels: [String]?

        /// Equal, with min/max allowed 1e-12 relative (ROOT computes the last edge).
        public func matches(bins: Int, min: Double, max: Double, edges: [Double]?, labels: [String]?) -> Bool {
            func close(_ a: Double, _ b: Double) -> Bool { a == b || abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b)) }
            return self.bins == bins && close(self.min, min) && close(self.max, max) && self.edges == edges && self.labels == labels
        }
    }

    public let run: Int
    public let lumi: Int
    public let kind: String
    public let name: String
    public let entries: Double
    public let x: Axis
    public let y: Axis?
    /// In-range contents, 2D rows concatenated (data[y][x] at y * x.bins + x).
    public let data: [Double]

    enum CodingKeys: String, CodingKey { case run, lumi, kind, name, entries, x, y, data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        run = try container.decode(Int.self, forKey: .run)
        lumi = try container.decode(Int.self, forKey: .lumi)
        kind = try container.decode(String.self, forKey: .kind)
        name = try container.decode(String.self, forKey: .name)
        entries = try container.decode(Double.self, forKey: .entries)
        x = try container.decode(Axis.self, forKey: .x)
        y = try container.decodeIfPresent(Axis.self, forKey: .y)
        if y != nil {
            data = try container.decode([[Double]].self, forKey: .data).flatMap { $0 }
        } else {
            data = try container.decode([Double].self, forKey: .data)
        }
    }

    public var key: String { "\(run)/\(lumi)/\(kind)/\(name)" }

    public static func parse(_ line: some StringProtocol) throws -> TruthRecord {
        try JSONDecoder().decode(TruthRecord.self, from: Data(line.utf8))
    }

    /// The truth file beside `rootPath`, in file order.
    public static func all(besides rootPath: String) throws -> [TruthRecord] {
        let text = try String(contentsOfFile: String(rootPath.dropLast(".root".count)) + ".truth.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map(parse)
    }
}
