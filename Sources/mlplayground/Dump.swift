import ArgumentParser
import DQMIO
import Foundation

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a DQMIO file's monitor elements as JSON lines (one per ME, the truth-file format).",
        discussion: """
            By default every per-lumisection 1D (TH1F/S/D/I, TProfile) and 2D (TH2F/S/D/I, TProfile2D) ME.
            Patterns: re:REGEX (searched in the full name), a shell glob when it has * ? or [, else a name prefix.
            """)

    @Argument(help: "A DQMIO .root file.") var file: String
    @Option(help: "Comma-separated kinds (TH1F, TProfile, …) or groups th1, th2.") var kinds: String?
    @Option(name: .customLong("match"), help: "ME name pattern; repeatable, any may match.") var patterns: [String] = []
    @Option(name: .customLong("run"), help: "Only this run.") var runNumber: UInt32?
    @Option(help: "Only this lumisection (0 = run-level).") var lumi: UInt32?
    @Flag(help: "Also print run-level (lumi 0) MEs.") var includeRunLevel = false
    @Flag(help: "Read everything but print only `mes=N sum=S` (the line the ROOT anchor prints).") var summary = false
    @Option(help: "Threads inflating baskets (default: all cores).") var threads: Int = DQMIOFile.defaultThreads

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() {
        reportingFailures {
            var selection = Selection(includeRunLevel: includeRunLevel)
            if let kinds {
                selection.kinds = try kinds.split(separator: ",").flatMap { try MonitorElementKind.parse(String($0)) }
            }
            selection.patterns = try patterns.map(NamePattern.init)
            selection.run = runNumber
            selection.lumi = lumi
            let dqmio = try DQMIOFile(path: file)
            if summary {
                var count = 0
                var sum = 0.0
                try dqmio.forEachMonitorElement(selection, threads: threads) { element in
                    count += 1
                    element.addContents(to: &sum)
                }
                print("mes=\(count) sum=\(String(format: "%.6f", sum))")
            } else {
                let output = BufferedOutput()
                defer { output.flush() }
                try dqmio.forEachMonitorElement(selection, threads: threads) { element in
                    output.write(element.jsonLine())
                }
            }
        }
    }
}

/// Line-buffered stdout in large writes: dumps are many megabytes.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
