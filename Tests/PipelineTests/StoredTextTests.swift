import Catalog
import Foundation
import Pipeline
import Testing
import TestSupport

/// Text from input that the databases or a terminal cannot take as it is: NUL in ME names and errors, bytes that
/// are not UTF-8, control characters.
@Suite struct StoredTextTests {
    /// An ME name with a NUL byte (patched into the uncompressed fixture, same length) is stored with the NUL as
    /// `\u{00}`, and the file loads: PostgreSQL had refused the name and the file failed three times over.
    @Test(arguments: Backend.available)
    func anMENameWithANulIsStoredEscapedAndTheFileLoads(_ backend: Backend) async throws {
        let catalog = try await backend.makeCatalog()
        let root = try PipelineTests.storage()
        let path = try #require(try IndexerSafetyTests.goodFiles(under: root).first { $0.contains("5D4C3B2A") })
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array("recHits/eta_556".utf8)
        var patched = 0
        var start = 0
        while start + name.count <= bytes.count {
            if bytes[start] == name[0] && Array(bytes[start..<(start + name.count)]) == name {
                bytes[start + "recHits/eta".utf8.count] = 0
                patched += 1
            }
            start += 1
        }
        #expect(patched > 0)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        try await PipelineTests.indexAndIngest(catalog, root)
        let file = try #require(try await catalog.file(path: path))
        #expect(file.status == .finished && file.mesIngested == file.mes, "\(file.error ?? "")")
        let stored = try await catalog.monitorElements().map(\.name)
        #expect(stored.contains("CSC/CSCOfflineMonitor/recHits/eta\\u{00}556"))
        #expect(!stored.contains { $0.utf8.contains(0) })
        try await catalog.close()
    }

    @Test func storedTextSpellsNulAsEscapedTextDoes() {
        #expect(StoredText.clean("a\u{0}b") == "a\\u{00}b")
        #expect(EscapedText.of([0x61, 0x00, 0x62]) == StoredText.clean("a\u{0}b"))
        #expect(StoredText.clean("plain") == "plain")
    }

    @Test func escapedTextNamesEveryByte() {
        #expect(EscapedText.of(Array("plain/é/中.root".utf8)) == "plain/é/中.root")
        #expect(EscapedText.of([0x66, 0xFF, 0x67]) == "f\\xffg")
        #expect(EscapedText.of([0xC3]) == "\\xc3")                       // a sequence cut short
        #expect(EscapedText.of([0xC0, 0xAF]) == "\\xc0\\xaf")            // an overlong "/"
        #expect(EscapedText.of([0xED, 0xA0, 0x80]) == "\\xed\\xa0\\x80")  // a surrogate
        #expect(EscapedText.of(Array("bell\u{7}esc\u{1B}[2Jdel\u{7F}c1\u{85}".utf8)) == "bell\\u{07}esc\\u{1b}[2Jdel\\u{7f}c1\\u{85}")
        #expect(EscapedText.of(Array("back\\slash".utf8)) == "back\\\\slash")
        // For the terminal, control characters only: what is already escaped is shown as it is.
        #expect(EscapedText.forTerminal("esc\u{1B}[2J bad\\xff.root") == "esc\\u{1b}[2J bad\\xff.root")
        #expect(EscapedText.forTerminal(EscapedText.forTerminal("a\u{7}b")) == "a\\u{07}b")
    }
}
