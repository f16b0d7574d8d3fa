import Catalog
import DQMIO

/// Filters on monitor elements, resolved to ids first: the ME table is small, and one regular
/// expression syntax (ICU's) then holds on SQLite and PostgreSQL alike.
enum MEFilters {
    static func name(_ field: Column) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "me", kind: .string, summary: "Exact ME name.")) { value, catalog in
            let name = value.string ?? ""
            return [Condition(field, .oneOf(try await catalog.monitorElementIDs { candidate, _ in candidate == name }))]
        }
    }

    static func regex(_ field: Column) -> Resource.Filter {
        let parameter = Parameter(name: "me__regex", kind: .string, summary: "ME names matching this regular expression (anywhere in the name).")
        return Resource.Filter(parameter: parameter) { value, catalog in
            let ids = try await RegexFilter.ids(parameter, pattern: value.string ?? "") {
                try await catalog.monitorElements().map { (id: $0.id, name: $0.name) }
            }
            return [Condition(field, .oneOf(ids))]
        }
    }

    static func kind(_ field: Column, among kinds: [MonitorElementKind]) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "kind", kind: .choice(kinds.map(\.name)), summary: "ME kind.")) { value, catalog in
            let kind = value.string ?? ""
            return [Condition(field, .oneOf(try await catalog.monitorElementIDs { _, candidate in candidate == kind }))]
        }
    }
}
