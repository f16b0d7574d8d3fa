import Foundation
import Pipeline
import Testing
import TestSupport

/// The storage walk: every `.root` file, a heartbeat as it goes (so a long walk is not taken for a stalled job),
/// and a stop when its task is cancelled.
@Suite struct StorageScannerTests {
    @Test func walksEveryFolderWithHeartbeatsAndStopsWhenCancelled() async throws {
        let root = try PipelineTests.storage()
        var folders = 1
        var rootFiles = 0
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]))
        for case let url as URL in enumerator {
            if try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true { folders += 1 }
            else if url.pathExtension == "root" { rootFiles += 1 }
        }

        var beats = 0
        let result = try await StorageScanner().scan(root: root.path, heartbeatInterval: .zero) { beats += 1 }
        #expect(result.files.count == rootFiles && rootFiles > 0)
        #expect(beats == folders, "a heartbeat per folder when every moment is due")

        let walk = Task { try await StorageScanner().scan(root: root.path, heartbeatInterval: .zero) { withUnsafeCurrentTask { $0?.cancel() } } }
        await #expect(throws: CancellationError.self) { try await walk.value }
    }
}
