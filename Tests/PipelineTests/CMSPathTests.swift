import Testing
@testable import Pipeline

@Suite struct CMSPathTests {
    @Test func parsesTheCMSStoreLayout() {
        let path = CMSPath.parse("/eos/cms/store/data/Run2024C/ZeroBias/DQMIO/PromptReco-v1/000/380/001/00000/3F1B6A0C.root")
        #expect(path == CMSPath(era: "Run2024C", primaryDataset: "ZeroBias", dataTier: "DQMIO", processing: "PromptReco-v1"))
    }

    @Test func fallsBackToTheDQMFileName() {
        let path = CMSPath.parse("/data/upload/DQM_V0001_R000380001__ZeroBias__Run2024C-PromptReco-v1__DQMIO.root")
        #expect(path == CMSPath(era: "Run2024C", primaryDataset: "ZeroBias", dataTier: "DQMIO", processing: "PromptReco-v1"))
        #expect(CMSPath.parse("/tmp/some/file.root") == CMSPath())
    }
}
