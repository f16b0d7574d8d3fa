import Catalog

/// Filters on the dataset of lists that hold a `dataset_id` (files, runs, lumisections, datasets).
enum DatasetFilters {
    /// `dataset__regex`: datasets whose name matches, anywhere in the name.
    static func regex(_ field: Column) -> Resource.Filter {
        let parameter = Parameter(name: "dataset__regex", kind: .string, summary: "Dataset names matching this regular expression (anywhere in the name).")
        return Resource.Filter(parameter: parameter) { value, catalog in
            [Condition(field, .oneOf(try await RegexFilter.ids(parameter, pattern: value.string ?? "") { try await catalog.datasetNames() }))]
        }
    }

    /// `dataset_id__in`: any of these comma-separated ids.
    static func ids(_ field: Column) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "dataset_id__in", kind: .integers, summary: "Any of these dataset ids.")) { value, _ in
            [Condition(field, .oneOf(value.integers ?? []))]
        }
    }
}
