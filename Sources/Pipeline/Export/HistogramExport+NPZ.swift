import Catalog

/// The npz layout: `names` (ME full names), then per ME i (0-based, name order) `i/data` — (n, nx) or (n, ny, nx) —
/// `i/run_number`, `i/ls_number`, `i/entries`, `i/dataset_id`, `i/file_id` (length n), `i/x_edges` (nx + 1) and for
/// 2D `i/y_edges`, `i/x_labels` / `i/y_labels` where the axis is labelled. Every array but `data` is written whole
/// (they are small); `data` streams in chunks.
extension HistogramExport {
    func writeNPZ(to sink: ([UInt8]) async throws -> Void, progress: (Int64) -> Void) async throws {
        var zip = ZipStream()
        func entry(_ name: String, _ bytes: [UInt8]) {
            zip.begin(name + ".npy", expectedSize: UInt64(bytes.count))
            zip.append(bytes)
            zip.end()
        }
        func flush(ifAtLeast limit: Int = Self.flushSize) async throws {
            guard zip.pending.count >= limit else { return }
            try await sink(zip.pending)
            zip.clearPending()
        }
        entry("names", NPYArray.unicode(names))
        var written: Int64 = 0
        for (index, group) in groups.enumerated() {
            let rows = try await catalog.exportRows(group.selection.listing, meID: group.me.meID, conditions: group.selection.conditions)
            entry("\(index)/run_number", NPYArray.int64(rows.map(\.run)))
            entry("\(index)/ls_number", NPYArray.int64(rows.map(\.lumi)))
            entry("\(index)/entries", NPYArray.float64(rows.map(\.entries)))
            entry("\(index)/dataset_id", NPYArray.int64(rows.map(\.datasetID)))
            entry("\(index)/file_id", NPYArray.int64(rows.map(\.fileID)))
            for (axis, name) in [(group.me.x, "x"), (group.me.y, "y")] {
                guard let axis else { continue }
                entry("\(index)/\(name)_edges", NPYArray.float64(Self.edges(axis)))
                if let labels = axis.labels { entry("\(index)/\(name)_labels", NPYArray.unicode(labels)) }
            }
            let dtype: NPYArray.DType = precision == .float32 ? .float32 : .float64
            // (n, ny, nx): a 2D histogram's contents are stored row by row, the lowest y first.
            let shape = [rows.count] + (group.me.y.map { [$0.bins] } ?? []) + [group.me.x.bins]
            zip.begin("\(index)/data.npy", expectedSize: UInt64(NPYArray.size(dtype, shape: shape)))
            zip.append(NPYArray.header(dtype, shape: shape))
            try await contents(group, rows) { values, chunk in
                for row in values {
                    if precision == .float32 {
                        // Exact: `plan` allowed float32 only for kinds stored as float32 or int16.
                        row.map { Float($0).bitPattern.littleEndian }.withUnsafeBytes { zip.append($0) }
                    } else {
                        #if _endian(little)
                        row.withUnsafeBytes { zip.append($0) }  // doubles in memory are .npy's '<f8' already
                        #else
                        row.map { $0.bitPattern.littleEndian }.withUnsafeBytes { zip.append($0) }
                        #endif
                    }
                    try await flush()
                }
                written += Int64(chunk.count)
                progress(written)
                try await flush()
            }
            zip.end()
            try await flush()
        }
        zip.finish()
        try await flush(ifAtLeast: 0)
    }
}
