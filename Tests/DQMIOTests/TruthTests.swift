import Foundation
import Testing
import TestSupport
@testable import DQMIO

/// Every fixture read by our reader equals ROOT's own reading of it, every key and every bin: our JSON line and the
/// truth line are decoded the same exact way and compared as numbers.
@Suite struct TruthTests {
    static let runs = Fixtures.good.keys.sorted()

    func compare(_ path: String, threads: Int) throws {
        let truth = try TruthRecord.all(besides: path)
        let expected = Dictionary(truth.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(expected.count == truth.count, "truth keys are unique")
        var seen: [String] = []
        try DQMIOFile(path: path).forEachMonitorElement(threads: threads) { element in
            let ours = try TruthRecord.parse(element.jsonLine())
            seen.append(ours.key)
            guard let record = expected[ours.key] else {
                Issue.record("\(ours.key) is not in the truth file")
                return
            }
            #expect(ours.entries == record.entries, "\(ours.key) entries")
            #expect(ours.data == record.data, "\(ours.key) data")
            #expect(record.x.matches(bins: ours.x.bins, min: ours.x.min, max: ours.x.max, edges: ours.x.edges, labels: ours.x.labels), "\(ours.key) x")
            if let y = ours.y {
                #expect(record.y?.matches(bins: y.bins, min: y.min, max: y.max, edges: y.edges, labels: y.labels) == true, "\(ours.key) y")
            } else {
                #expect(record.y == nil, "\(ours.key) y")
            }
        }
        #expect(seen == truth.map(\.key), "same MEs, in Indices order")
    }

    @Test(arguments: runs)
    func dumpEqualsROOTsReading(run: String) throws {
        try compare(try Fixtures.file(run: run), threads: 1)
    }

    @Test(arguments: runs)
    func parallelReadingGivesTheSameResult(run: String) throws {
        try compare(try Fixtures.file(run: run), threads: 4)
    }
}
