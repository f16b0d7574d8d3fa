import Catalog

/// Filters on the file's logical name that SQL cannot spell alike on both databases.
enum FileFilters {
    /// `logical_file_name__regex`: files whose logical name matches, anywhere in the name.
    static func logicalFileNameRegex(_ field: Column) -> Resource.Filter {
        let parameter = Parameter(name: "logical_file_name__regex", kind: .string,
                                  summary: "Logical file names matching this regular expression (anywhere in the name).")
        return Resource.Filter(parameter: parameter) { value, catalog in
            [Condition(field, .oneOf(try await RegexFilter.ids(parameter, pattern: value.string ?? "") { try await catalog.logicalFileNames() }))]
        }
    }
}
