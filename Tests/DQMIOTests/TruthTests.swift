import Foundation
import Testing
import TestSupport
@testable import DQMIO

/// Every fixture read by our reader equals ROOT's own reading of it, every key and every bin.
@Suite struct TruthTests {
    static let runs = Fixtures.good.keys.sorted()

    func compare(_ path: String, threads: Int) throws {
        let truthPath = String(path.dropLast(".root".count)) + ".truth.jsonl"
        let truthLines = try String(contentsOfFile: truthPath, encoding: .utf8).split(separator: "\n")
        var truth: [String: [String: Any]] = [:]
        for line in truthLines {
            let record = try TruthComparison.parse(String(line))
            truth[TruthComparison.key(record)] = record
        }
        #expect(truth.count == truthLines.count, "truth keys are unique")
        var seen = Set<String>()
        try DQMIOFile(path: path).forEachMonitorElement(threads: threads) { element in
            let ours = try TruthComparison.parse(element.jsonLine())
            let key = TruthComparison.key(ours)
            #expect(seen.insert(key).inserted, "\(key) read twice")
            guard let expected = truth[key] else {
                Issue.record("\(key) is not in the truth file")
                return
            }
            if let difference = TruthComparison.difference(truth: expected, ours: ours) {
                Issue.record("\(key)\(difference)")
            }
        }
        #expect(seen == Set(truth.keys))
    }

    @Test(arguments: runs)
    func dumpEqualsROOTsReading(run: String) throws {
        try compare(try Fixtures.file(run: run), threads: 1)
    }

    @Test(arguments: runs)
    func parallelInflationGivesTheSameResult(run: String) throws {
        try compare(try Fixtures.file(run: run), threads: 4)
    }

    @Test func linesComeInIndicesOrder() throws {
        let path = try Fixtures.file(run: "380008")
        let truthPath = String(path.dropLast(".root".count)) + ".truth.jsonl"
        let truthKeys = try String(contentsOfFile: truthPath, encoding: .utf8).split(separator: "\n")
            .map { TruthComparison.key(try TruthComparison.parse(String($0))) }
        var ours: [String] = []
        try DQMIOFile(path: path).forEachMonitorElement { ours.append(TruthComparison.key(try TruthComparison.parse($0.jsonLine()))) }
        #expect(ours == truthKeys)
    }
}
