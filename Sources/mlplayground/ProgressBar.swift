import Catalog
import Foundation
import Pipeline

/// A one-line progress bar on stderr for `index` and `ingest`, redrawn in place at most ten times a second; only
/// when stderr is a terminal, so logs and scripts see the plain outcome lines alone.
final class ProgressBar: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let throttle = Throttle(interval: .milliseconds(100))

    func update(_ job: JobRecord, done: Int, total: Int) async {
        guard enabled, throttle.allows(final: done == total) else { return }
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let unit = job.kind == "index" ? "files" : "MEs"
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(unit) · job \(job.id) \(job.kind)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar before an outcome line is printed.
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
