import Catalog
import Foundation
import Pipeline

/// A one-line progress bar on stderr for `index`, `ingest` and `export`, redrawn in place at most ten times a second; only
/// when stderr is a terminal, so logs and scripts see the plain outcome lines alone.
final class ProgressBar: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let throttle = Throttle(interval: .milliseconds(100))

    func update(_ job: JobRecord, done: Int, total: Int) async {
        update(done: Int64(done), total: Int64(total), "\(job.kind == "index" ? "files" : "MEs") · job \(job.id) \(job.kind)")
    }

    /// `[####......] done/total what`.
    func update(done: Int64, total: Int64, _ what: String) {
        guard enabled, throttle.allows(final: done == total) else { return }
        let width: Int64 = 30
        let filled = Int(total > 0 ? min(width, done * width / total) : 0)
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: Int(width) - filled))] \(done)/\(total) \(what)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar before an outcome line is printed.
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
