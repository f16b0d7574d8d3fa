import Foundation

/// The parts of a CMS dataset name, `/<primary dataset>/<processed dataset>/<tier>`, where the processed dataset
/// is `<era>-<processing>` and a processing ending in `-v<N>` has version N (DIALS's `dataset-index` fields).
struct DatasetName: Equatable {
    let primaryDataset: String
    let processedDataset: String
    let dataTier: String
    let era: String
    let processingVersion: Int

    init(_ name: String) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        primaryDataset = parts.first ?? ""
        processedDataset = parts.count > 1 ? parts[1] : ""
        dataTier = parts.count > 2 ? parts[2] : ""
        era = processedDataset.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
        // An INTEGER column: a version past Int32 (no real processing has one) counts as none.
        if let dash = processedDataset.range(of: "-v", options: .backwards),
           let version = Int32(processedDataset[dash.upperBound...]) {
            processingVersion = Int(version)
        } else {
            processingVersion = 0
        }
    }
}
