import Catalog
import HTTPTypes
import Pipeline

/// What one request may see: the MEs and datasets of the workspace its `Workspace` header names (see
/// `ServerState.workspaceScope(header:)`). The list endpoints restrict their rows with it; the implicit workspace
/// (no configuration file) selects everything, so that they may skip the restriction (`selectsEveryME`,
/// `selectsEveryDataset`).
struct WorkspaceScope: Sendable {
    /// DIALS's header (`settings.WORKSPACE_HEADER`), which cmsdials sends as `Workspace: NAME`.
    static let headerName = HTTPField.Name("Workspace")!

    let workspace: Workspace

    var name: String { workspace.name }
    var selectsEveryME: Bool { workspace.mePatterns.isEmpty }
    var selectsEveryDataset: Bool { workspace.datasetPatterns == nil }

    /// Ids of the loaded MEs whose names the workspace's patterns select, ascending. (The ETL loaded the union of
    /// every workspace's patterns, so each workspace's MEs are among the loaded ones.)
    func meIDs(_ catalog: Catalog) async throws -> [Int64] {
        try await catalog.monitorElementIDs { name, _ in workspace.selects(me: name) }.sorted()
    }

    /// Ids of the datasets whose names the workspace's globs select, ascending; nil when it has no dataset patterns
    /// (every dataset, and the files of none).
    func datasetIDs(_ catalog: Catalog) async throws -> [Int64]? {
        guard workspace.datasetPatterns != nil else { return nil }
        return try await catalog.datasetNames().compactMap { workspace.selects(dataset: $0.name) ? $0.id : nil }
    }

    /// Ids of the files of those datasets, for the tables that record a file rather than a dataset (th1, th2); nil
    /// when the workspace has no dataset patterns.
    func fileIDs(_ catalog: Catalog) async throws -> [Int64]? {
        guard let datasets = try await datasetIDs(catalog) else { return nil }
        return try await catalog.fileIDs(inDatasets: datasets)
    }
}
