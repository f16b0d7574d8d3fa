import Catalog

/// The CSV layout (RFC 4180): a header `me,dataset,run_number,ls_number,entries,bin_1,…,bin_N` (N: the most bins of
/// any ME exported), then a row per (ME, run, LS), MEs in name order, each row with its own ME's bins (2D row by
/// row, the lowest y first). Numbers are the shortest decimals that read back as the same double; non-finite bins
/// are `nan`, `inf`, `-inf` (what pandas and NumPy read).
extension HistogramExport {
    func writeCSV(to sink: ([UInt8]) async throws -> Void, progress: (Int64) -> Void) async throws {
        var out = "me,dataset,run_number,ls_number,entries"
        for bin in 0..<(groups.map(\.bins).max() ?? 0) { out += ",bin_\(bin + 1)" }
        out += "\r\n"
        var written: Int64 = 0
        for group in groups {
            let rows = try await catalog.exportRows(group.selection.listing, meID: group.me.meID, conditions: group.selection.conditions)
            let me = Self.csvField(group.me.name)
            try await contents(group, rows) { values, chunk in
                for (row, key) in zip(values, chunk) {
                    out += me
                    out += ","
                    out += Self.csvField(key.datasetName)
                    out += ",\(key.run),\(key.lumi),"
                    out += Self.csvNumber(key.entries)
                    for value in row {
                        out += ","
                        out += Self.csvNumber(value)
                    }
                    out += "\r\n"
                }
                written += Int64(chunk.count)
                progress(written)
                if out.utf8.count >= Self.flushSize {
                    try await sink(Array(out.utf8))
                    out = ""
                }
            }
        }
        try await sink(Array(out.utf8))
    }

    /// A text field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Swift's shortest round-trip spelling (`680.772`, `1e-05`, `inf`, `nan`); whole numbers without `.0`.
    static func csvNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }
}
