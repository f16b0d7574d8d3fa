import Catalog
import DQMIO
import Foundation

/// Filters on monitor elements (and datasets), resolved to ids first: the ME table is small, and one regular
/// expression syntax (ICU's) then holds on SQLite and PostgreSQL alike.
enum MEFilters {
    static func name(field: String) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "me", kind: .string, summary: "Exact ME name.")) { value, catalog in
            let name = value.string ?? ""
            return [Condition(field, .oneOf(try await catalog.monitorElementIDs { candidate, _ in candidate == name }))]
        }
    }

    static func regex(field: String) -> Resource.Filter {
        let parameter = Parameter(name: "me__regex", kind: .string, summary: "ME names matching this regular expression (anywhere in the name).")
        return Resource.Filter(parameter: parameter) { value, catalog in
            let pattern = value.string ?? ""
            let expression: NSRegularExpression
            do {
                expression = try NSRegularExpression(pattern: pattern)
            } catch {
                throw APIError.badParameter(parameter.name, "not a regular expression: \(pattern.prefix(80))")
            }
            switch try await RegexGate.shared.matches(expression, in: { try await catalog.monitorElements().map { (id: $0.id, name: $0.name) } }) {
            case .matched(let ids):
                return [Condition(field, .oneOf(ids))]
            case .overBudget:
                throw APIError.badParameter(parameter.name, "matching took over \(RegexGate.budget) across the ME names; "
                                            + "nested repetitions such as (a+)+ or (.*)* backtrack without end")
            case .busy:
                throw APIError(status: .serviceUnavailable, message: "too many me__regex filters are being matched at once; retry shortly",
                               parameter: parameter.name)
            }
        }
    }

    static func kind(field: String, among kinds: [MonitorElementKind]) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "kind", kind: .choice(kinds.map(\.name)), summary: "ME kind.")) { value, catalog in
            let kind = value.string ?? ""
            return [Condition(field, .oneOf(try await catalog.monitorElementIDs { _, candidate in candidate == kind }))]
        }
    }

    /// Resolved to the dataset's file ids: histogram lists read th1/th2 alone.
    static func dataset(field: String) -> Resource.Filter {
        Resource.Filter(parameter: Parameter(name: "dataset", kind: .string, summary: "CMS dataset name, /<primary dataset>/<era>-<processing>/<tier>, e.g. /ZeroBias/Run2024C-PromptReco-v1/DQMIO.")) { value, catalog in
            [Condition(field, .oneOf(try await catalog.fileIDs(inDataset: value.string ?? "")))]
        }
    }
}
