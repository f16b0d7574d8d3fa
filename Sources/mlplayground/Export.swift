import ArgumentParser
import Catalog
import DQMIO
import Foundation
import Pipeline

/// `mlplayground export`: the selected MEs' per-lumisection histograms (1D and 2D) straight from the catalog into
/// one npz (or csv), the file appearing only when complete.
struct Export: CatalogCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export MEs over lumisections as NumPy arrays (npz, as GET th1/export writes) or CSV.",
        discussion: "--me selects the MEs to export (repeatable; re:REGEX, a glob, or a prefix; default: every ME). The file is written beside FILE and renamed into place when complete.")

    @OptionGroup var options: CatalogOptions
    @Option(help: "Only this run.") var run: Int64?
    @Option(help: "Only runs A-B (inclusive).") var runs: String?
    @Option(help: "Only this dataset (its full name).") var dataset: String?
    @Option(help: "Only what this workspace (of --workspaces) selects.") var workspace: String?
    @Option(help: "npz or csv (default: from FILE's extension, else npz).") var format: HistogramExport.Format?
    @Option(help: "The data arrays' type: float64 (default) or float32 (TH*F and TH*S only, exactly).") var dtype: HistogramExport.Precision = .float64
    @Option(name: .shortAndLong, help: "The file to write.") var output: String

    func execute() async throws {
        let runRange = try Self.runRange(run: run, runs: runs)
        let format = format ?? (output.hasSuffix(".csv") ? .csv : .npz)
        let configuration = try options.workspaceConfiguration()
        var scope: Workspace?
        if let workspace {
            guard let found = configuration.workspace(named: workspace) else {
                throw ValidationError("no workspace \(workspace) (known: \(configuration.names.joined(separator: ", ")))")
            }
            scope = found
        }
        let patterns = try options.mePatterns.map(NamePattern.init)
        try await options.withCatalog { catalog in
            var conditions: [Condition] = []
            let meIDs = try await catalog.monitorElementIDs { name, _ in
                (patterns.isEmpty || patterns.contains { $0.matches(name) }) && (scope?.selects(me: name) ?? true)
            }
            conditions.append(Condition(Listing.Histograms.meID, .oneOf(meIDs)))
            if let runRange {
                conditions.append(Condition(Listing.Histograms.runNumber, .atLeast(.int(runRange.lowerBound))))
                conditions.append(Condition(Listing.Histograms.runNumber, .atMost(.int(runRange.upperBound))))
            }
            if dataset != nil || scope?.datasetPatterns != nil {
                let datasets = try await catalog.datasetNames().filter { candidate in
                    (dataset.map { $0 == candidate.name } ?? true) && (scope?.selects(dataset: candidate.name) ?? true)
                }
                conditions.append(Condition(Listing.Histograms.fileID, .oneOf(try await catalog.fileIDs(inDatasets: datasets.map(\.id)))))
            }
            let plan = try await HistogramExport.plan(catalog, selections: [.init(twoDimensional: false, conditions: conditions),
                                                                            .init(twoDimensional: true, conditions: conditions)],
                                                      format: format, precision: dtype)
            guard plan.rows > 0 else {
                throw ExportFailure("no histograms match: \(describe(runRange))")
            }
            try await write(plan)
        }
    }

    /// Writes to a temporary file beside `output`, renamed into place when complete (removed on failure).
    private func write(_ plan: HistogramExport) async throws {
        let target = URL(fileURLWithPath: output)
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let handle = try? FileHandle(forWritingTo: partial) else {
            throw ExportFailure("cannot write \(partial.path)")
        }
        let bar = ProgressBar()
        do {
            try await plan.write(to: { bytes in try handle.write(contentsOf: bytes) }) { bar.update(done: $0, total: plan.rows, "histograms") }
            try handle.close()
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        bar.clear()
        print("\(output): \(plan.names.count) MEs, \(plan.rows) histograms")
    }

    private func describe(_ range: ClosedRange<Int64>?) -> String {
        var parts = options.mePatterns.isEmpty ? ["every ME"] : ["MEs \(options.mePatterns.joined(separator: ", "))"]
        if let range { parts.append(range.lowerBound == range.upperBound ? "run \(range.lowerBound)" : "runs \(range.lowerBound)-\(range.upperBound)") }
        if let dataset { parts.append("dataset \(dataset)") }
        if let workspace { parts.append("workspace \(workspace)") }
        return parts.joined(separator: ", ")
    }

    /// `--run R` or `--runs A-B`.
    static func runRange(run: Int64?, runs: String?) throws -> ClosedRange<Int64>? {
        if let run {
            guard runs == nil else { throw ValidationError("give --run or --runs, not both") }
            return run...run
        }
        guard let runs else { return nil }
        let bounds = runs.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high else {
            throw ValidationError("--runs takes A-B with A ≤ B, got \(runs)")
        }
        return low...high
    }
}

struct ExportFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension HistogramExport.Format: ExpressibleByArgument {}
extension HistogramExport.Precision: ExpressibleByArgument {}
