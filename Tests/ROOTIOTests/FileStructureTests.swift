import Testing
import TestSupport
@testable import ROOTIO

/// The ROOT structures of real files written by ROOT 6.40.
@Suite struct FileStructureTests {
    @Test func readsTheHeaderAndTopDirectory() throws {
        let file = try ROOTFile(path: try Fixtures.file(run: "380008"))
        #expect(file.header.rootVersion == "6.40/00")
        #expect(file.header.end == file.source.size)
        let names = Set(file.root.keys.map(\.name))
        #expect(names.isSuperset(of: ["cms::edm::GUID", "MetaData", "Indices", "TH1Fs", "TProfile2Ds", "TH2Is"]))
        #expect(try file.key("Indices;1").className == "TTree")
    }

    @Test func descendsIntoNestedDirectories() throws {
        let file = try ROOTFile(path: try Fixtures.file(run: "380001"))
        let metadata = try file.directory("MetaData")
        #expect(metadata.path == "MetaData")
        #expect(try file.key("MetaData/ProcessHistories").className == "TTree")
        let tree = try Tree.read(named: "MetaData/ParameterSets", from: file)
        #expect(tree.entries == 1)
    }

    @Test func lookupMissesNameTheFileAndTheClosestKeys() throws {
        let file = try ROOTFile(path: try Fixtures.file(run: "380001"))
        let error = try #require(throws: ROOTError.self) { try file.key("TH1F") }
        #expect(error.code == .notFound)
        #expect(error.description.contains(file.path))
        #expect(error.description.contains("TH1Fs"))
        #expect(throws: ROOTError.self) { try file.key("Indices;7") }
        #expect(throws: ROOTError.self) { try file.key("Indices/Run") }
    }

    @Test func readsTheStreamerInfos() throws {
        let infos = try StreamerInfoSet.read(from: ROOTFile(path: try Fixtures.file(run: "380008")))
        #expect(infos.version(of: "TH1F") == 3)
        #expect(infos.version(of: "TH1") == 8)
        #expect(infos.version(of: "TAxis") == 10)
        #expect(infos.version(of: "TProfile2D") == 8)
        let th1 = try #require(infos.infos.first { $0.className == "TH1" })
        #expect(th1.elements.map(\.name).contains("fXaxis"))
    }

    @Test func readsNumericBranchesOfTheIndicesTree() throws {
        let file = try ROOTFile(path: try Fixtures.file(run: "380001"))
        let tree = try Tree.read(named: "Indices", from: file)
        #expect(tree.branches.map(\.name) == ["Run", "Lumi", "ProcessHistoryIndex", "BeginTime", "EndTime", "Type", "FirstIndex", "LastIndex"])
        let runs = try EntryReader.readAll(try tree.branch("Run"), from: file.source) { try $0.u32() }
        #expect(runs.count == Int(tree.entries))
        #expect(Set(runs) == [380001])
        let types = try EntryReader.readAll(try tree.branch("Type"), from: file.source) { try $0.u32() }
        #expect(Set(types) == [3, 6])
    }

    @Test func readsAnEntryLargerThanItsBasketSize() throws {
        // The 416×130 TH2F (≈ 217 kB of floats) exceeds the 128 KiB basket size: ROOT grew a basket for it.
        let file = try ROOTFile(path: try Fixtures.file(run: "367094"))
        let branch = try Tree.read(named: "TH2Fs", from: file).branch("Value")
        var largest = 0
        for reference in branch.baskets {
            let basket = try reference.load(from: file.source)
            for entry in basket.entryRange {
                let (cursor, end) = try basket.cursor(forEntry: entry)
                largest = max(largest, end - cursor.index)
            }
        }
        #expect(largest > 416 * 130 * 4)
        #expect(largest > Int(branch.basketSize))
    }

    @Test func describesEveryBranchContentLayout() throws {
        let file = try ROOTFile(path: try Fixtures.file(run: "380008"))
        for name in ["TH1Fs", "TH2Fs", "TProfiles", "Strings"] {
            let tree = try Tree.read(named: name, from: file)
            guard case .element(let className, _, _) = try tree.branch("FullName").content else {
                Issue.record("FullName of \(name) is not a TBranchElement"); continue
            }
            #expect(className == "string")
            if case .leaves = try tree.branch("Value").content, name != "Strings" {
                Issue.record("Value of \(name) holds no object")
            }
        }
    }

    @Test func refusesFilesThatAreNotROOT() throws {
        for name in ["empty.root", "not_root.root", "truncated.root"] {
            let error = try #require(throws: ROOTError.self) { try ROOTFile(path: Fixtures.bad(name)) }
            #expect(error.path == Fixtures.bad(name))
        }
        #expect(throws: ROOTError.self) { try ROOTFile(path: "/nonexistent/file.root") }
    }
}
