import Testing
import TestSupport
@testable import DQMIO

@Suite struct SelectionTests {
    @Test func patternsArePrefixesGlobsOrRegexes() throws {
        let name = "PixelPhase1/Tracks/PXBarrel/charge_12"
        #expect(try NamePattern("PixelPhase1/Tracks").matches(name))
        #expect(try !NamePattern("Tracks").matches(name))
        #expect(try NamePattern("*charge_1?").matches(name))
        #expect(try NamePattern("Pixel*/PXBarrel/*").matches(name))
        #expect(try !NamePattern("*charge_1").matches(name))
        #expect(try NamePattern("[OP]ixelPhase1/*").matches(name))
        #expect(try NamePattern("re:PXBarrel/charge_\\d+$").matches(name))
        #expect(try !NamePattern("re:^Tracks").matches(name))
        #expect(throws: DQMIOError.self) { try NamePattern("re:(unclosed") }
    }

    @Test func kindsParseNamesAndGroups() throws {
        #expect(try MonitorElementKind.parse("TH1F") == [.th1f])
        #expect(try MonitorElementKind.parse("tprofile2d") == [.tprofile2d])
        #expect(try MonitorElementKind.parse("th1") == MonitorElementKind.oneDimensional)
        #expect(try MonitorElementKind.parse("th2") == MonitorElementKind.twoDimensional)
        #expect(throws: DQMIOError.self) { try MonitorElementKind.parse("TH3F") }
        #expect(throws: DQMIOError.self) { try MonitorElementKind.parse("Ints") }
    }

    func names(_ run: String, _ selection: Selection) throws -> [String] {
        var names: [String] = []
        try DQMIOFile(path: try Fixtures.file(run: run)).forEachMonitorElement(selection) { names.append($0.name) }
        return names
    }

    @Test func filtersSelectSubsetsOfTheWhole() throws {
        let all = try names("380008", Selection())
        let prefix = "Info/"
        let filtered = try names("380008", Selection(patterns: [try NamePattern(prefix)]))
        #expect(filtered == all.filter { $0.hasPrefix(prefix) })
        #expect(!filtered.isEmpty && filtered.count < all.count)
        let either = try names("380008", Selection(patterns: [try NamePattern(prefix), try NamePattern("re:occupancy")]))
        #expect(either == all.filter { $0.hasPrefix(prefix) || $0.contains("occupancy") })
        let twoD = try names("380008", Selection(kinds: MonitorElementKind.twoDimensional))
        #expect(!twoD.isEmpty && twoD.count < all.count)
    }

    @Test func runAndLumiFilters() throws {
        let file = try DQMIOFile(path: try Fixtures.file(run: "367094"))
        let runs = Set(file.indices.map(\.run))
        #expect(runs.count == 2)
        var total = 0
        for run in runs {
            var count = 0
            try file.forEachMonitorElement(Selection(run: run)) { element in
                #expect(element.run == run)
                count += 1
            }
            #expect(count > 0)
            total += count
        }
        var all = 0
        try file.forEachMonitorElement { _ in all += 1 }
        #expect(total == all)
        var lumiTwo = 0
        try file.forEachMonitorElement(Selection(lumi: 2)) { element in
            #expect(element.lumi == 2)
            lumiTwo += 1
        }
        #expect(lumiTwo > 0 && lumiTwo < all)
    }
}
