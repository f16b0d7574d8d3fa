import Foundation

/// The committed DQMIO fixtures (Tests/Fixtures/dqmio), found from this source file's path.
public enum Fixtures {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/dqmio")

    /// Every good `.root` fixture, keyed by its run directory, e.g. "380008".
    public static let good: [String: String] = {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent("store").path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".root") else { continue }
            let parts = relative.split(separator: "/")
            let run = parts.count >= 9 ? String(parts[parts.count - 4] + parts[parts.count - 3]) : relative
            files[run] = root.appendingPathComponent("store/\(relative)").path
        }
        return files
    }()

    /// Two files of one dataset whose 1D MEs change binning between their runs (390001: 20 bins, 390002: 10).
    public static let rebinned = root.deletingLastPathComponent().appendingPathComponent("rebinned")

    public static func bad(_ name: String) -> String { root.appendingPathComponent("bad/\(name)").path }
    public static let badNames = ["empty.root", "not_root.root", "truncated.root", "corrupt_payload.root"]

    public static func file(run: String) throws -> String {
        guard let path = good[run] else { throw FixtureMissing(run: run) }
        return path
    }

    public struct FixtureMissing: Error { public let run: String }
}
