import Testing
import TestSupport
@testable import DQMIO

/// The DQMIO layout features the 380008 fixture holds: every kind, labels, variable bins, run-level MEs,
/// a lumisection without MEs.
@Suite struct LayoutTests {
    let file: DQMIOFile

    init() throws { file = try DQMIOFile(path: try Fixtures.file(run: "380008")) }

    func elements(_ selection: Selection = Selection()) throws -> [MonitorElement] {
        var all: [MonitorElement] = []
        try file.forEachMonitorElement(selection) { all.append($0) }
        return all
    }

    @Test func theGUIDIsTheFileName() {
        #expect(file.guid.map { file.path.hasSuffix("/\($0).root") } == true)
    }

    @Test func indicesDescribeEveryKindAndTheEmptyLumisection() throws {
        let kinds = Set(file.indices.compactMap(\.kind))
        #expect(kinds == Set(MonitorElementKind.allCases))
        let empty = file.indices.filter { $0.type == MonitorElementKind.emptyLumiType }
        #expect(empty.count == 1)
        let summary = try FileSummary(file)
        #expect(summary.emptyLumisections == 1)
        #expect(summary.lumisections == Set(file.indices.filter { $0.lumi > 0 }.map(\.lumi)).count)
        #expect(summary.codecs.contains("ZSTD"))
        let firstTime = try #require(summary.firstTime)
        #expect(firstTime.hasPrefix("2023-11-14T"))
    }

    @Test func runLevelMEsOnlyWhenAskedFor() throws {
        let perLumi = try elements()
        #expect(perLumi.allSatisfy { $0.lumi > 0 })
        let withRunLevel = try elements(Selection(includeRunLevel: true))
        let runLevel = withRunLevel.filter { $0.lumi == 0 }
        let expected = file.indices.filter { $0.lumi == 0 && $0.kind?.dimension != nil }.reduce(0) { $0 + Int($1.meCount) }
        #expect(runLevel.count == expected)
        #expect(expected > 0)
        #expect(withRunLevel.count == perLumi.count + runLevel.count)
        #expect(try elements(Selection(lumi: 0)).count == expected)
    }

    @Test func variableBinsCarryTheirEdges() throws {
        let variable = try elements().filter { $0.x.edges != nil }
        #expect(!variable.isEmpty)
        for element in variable {
            let edges = try #require(element.x.edges)
            #expect(edges.count == element.x.bins + 1)
            #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
            #expect(edges.first == element.x.minimum)
        }
    }

    @Test func labelledAxesCarryTheirLabels() throws {
        let labelled = try elements().filter { $0.x.labels != nil }
        #expect(!labelled.isEmpty)
        for element in labelled {
            #expect(element.x.labels?.count == element.x.bins)
            #expect(element.x.labels?.first == "bin1")
        }
    }

    @Test func everyHistogramKindKeepsItsStorage() throws {
        let byKind = Dictionary(grouping: try elements(), by: \.kind)
        #expect(Set(byKind.keys) == Set(MonitorElementKind.histograms))
        for (kind, list) in byKind {
            for element in list {
                #expect(element.values.count == element.x.bins * (element.y?.bins ?? 1))
                #expect((element.y != nil) == (kind.dimension == 2))
                switch (kind, element.values) {
                case (.th1f, .float32), (.th2f, .float32), (.th1d, .float64), (.th2d, .float64),
                     (.th1s, .int16), (.th2s, .int16), (.th1i, .int32), (.th2i, .int32),
                     (.tprofile, .float64), (.tprofile2d, .float64):
                    break
                default:
                    Issue.record("\(kind.name) came back as \(element.values)")
                }
            }
        }
    }
}
