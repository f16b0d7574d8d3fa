import Catalog

/// Filters of the histogram lists on their file's dataset and name, resolved to file ids: th1/th2 are read alone,
/// without joining the files and datasets tables on every page.
enum HistogramFilters {
    static func datasetID(_ field: Column) -> Resource.Filter {
        Resource.Filter(parameter: Parameter.integer("dataset_id", "Dataset id (0: files whose path names no dataset).")) { value, catalog in
            [Condition(field, .oneOf(try await catalog.fileIDs(inDatasets: [value.integer ?? 0])))]
        }
    }

    static func dataset(_ field: Column) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "dataset", kind: .string, summary: "CMS dataset name, /<primary dataset>/<era>-<processing>/<tier>, e.g. /ZeroBias/Run2024C-PromptReco-v1/DQMIO.")) { value, catalog in
            let name = value.string ?? ""
            let datasets = try await catalog.datasetNames().filter { $0.name == name }.map(\.id)
            return [Condition(field, .oneOf(try await catalog.fileIDs(inDatasets: datasets)))]
        }
    }

    static func datasetRegex(_ field: Column) -> Resource.Filter {
        let parameter = Parameter(name: "dataset__regex", kind: .string, summary: "Dataset names matching this regular expression (anywhere in the name).")
        return Resource.Filter(parameter: parameter) { value, catalog in
            let datasets = try await RegexFilter.ids(parameter, pattern: value.string ?? "") { try await catalog.datasetNames() }
            return [Condition(field, .oneOf(try await catalog.fileIDs(inDatasets: datasets)))]
        }
    }

    static func logicalFileName(_ field: Column) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "logical_file_name", kind: .string, summary: "Logical file name (the path from /store/ on).")) { value, catalog in
            [Condition(field, .oneOf(try await catalog.fileIDs(logicalFileName: value.string ?? "")))]
        }
    }
}
