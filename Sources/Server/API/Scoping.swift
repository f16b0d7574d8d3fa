import Catalog

/// How a workspace narrows a resource's rows: by the dataset the rows belong to, by their ME, or both.
enum Scoping: Sendable {
    /// Not narrowed (jobs).
    case none
    /// Rows of the workspace's datasets, by their dataset id column (datasets, files, runs).
    case datasets(Column)
    /// Lumisections of the workspace's datasets, their TH1/TH2 counts taking only its MEs.
    case lumisections
    /// Monitor elements the workspace's patterns select, by their id column.
    case monitorElements(Column)
    /// Histograms of the workspace's MEs in the files of its datasets.
    case histograms(me: Column, file: Column)

    /// Whether a workspace narrows the rows at all (the endpoints then read the `Workspace` header).
    var narrows: Bool {
        if case .none = self { return false }
        return true
    }

    /// The conditions that keep `scope`'s rows, nothing when it selects them all.
    func conditions(_ scope: WorkspaceScope, catalog: Catalog) async throws -> [Condition] {
        var conditions: [Condition] = []
        switch self {
        case .none:
            break
        case .datasets(let column):
            if let datasets = try await scope.datasetIDs(catalog) { conditions.append(Condition(column, .oneOf(datasets))) }
        case .lumisections:
            if let datasets = try await scope.datasetIDs(catalog) { conditions.append(Condition(Listing.Lumisections.datasetID, .oneOf(datasets))) }
        case .monitorElements(let column):
            if !scope.selectsEveryME { conditions.append(Condition(column, .oneOf(try await scope.meIDs(catalog)))) }
        case .histograms(let me, let file):
            if !scope.selectsEveryME { conditions.append(Condition(me, .oneOf(try await scope.meIDs(catalog)))) }
            if let files = try await scope.fileIDs(catalog) { conditions.append(Condition(file, .oneOf(files))) }
        }
        return conditions
    }

    /// The listing to read for `scope`: `listing` itself, but for lumisections of a workspace that does not
    /// select every ME, counted anew.
    func listing(_ listing: Listing, _ scope: WorkspaceScope, catalog: Catalog) async throws -> Listing {
        guard case .lumisections = self, !scope.selectsEveryME else { return listing }
        return .lumisections(countingMEs: try await scope.meIDs(catalog))
    }
}
