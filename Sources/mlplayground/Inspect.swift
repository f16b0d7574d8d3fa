import ArgumentParser
import DQMIO
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a DQMIO file: GUID, codecs, runs, lumisections, ME counts per kind, first/last times.")

    @Argument(help: "A DQMIO .root file.") var file: String
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() {
        reportingFailures {
            let summary = try FileSummary(DQMIOFile(path: file))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(text(summary))
            }
        }
    }

    private func text(_ s: FileSummary) -> String {
        var lines = [
            "file:          \(s.path)",
            "size:          \(s.size) bytes (written by ROOT \(s.rootVersion))",
            "guid:          \(s.guid ?? "-")",
            "compression:   setting \(s.compressionSetting); baskets use \(s.codecs.joined(separator: ", "))",
            "runs:          \(s.runs.map(String.init).joined(separator: ", "))",
            "lumisections:  \(s.lumisections) (\(s.emptyLumisections) without MEs)",
            "first time:    \(s.firstTime ?? "-")",
            "last time:     \(s.lastTime ?? "-")",
            "MEs per kind:  kind          per-LS   run-level",
        ]
        for count in s.monitorElements {
            let kind = count.kind.padding(toLength: 12, withPad: " ", startingAt: 0)
            lines.append("               \(kind)\(String(count.perLumi).leftPad(8))\(String(count.runLevel).leftPad(12))")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
