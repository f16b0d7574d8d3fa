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
            let deadline = ContinuousClock.now + regexBudget
            var gaveUp = false
            let ids = try await catalog.monitorElementIDs { name, _ in
                guard !gaveUp, let found = matches(expression, name, before: deadline) else {
                    gaveUp = true
                    return false
                }
                return found
            }
            if gaveUp {
                throw APIError.badParameter(parameter.name, "matching took over \(regexBudget) across the ME names; "
                                            + "nested repetitions such as (a+)+ or (.*)* backtrack without end")
            }
            return [Condition(field, .oneOf(ids))]
        }
    }

    /// How long one request's regular expression may take over all ME names (a few ms for a plain one on 100,000).
    static let regexBudget = Duration.seconds(1)

    /// Whether `expression` matches anywhere in `name`; nil when it was stopped at `deadline`. A pattern with nested
    /// repetitions can backtrack for hours on one name: ICU calls back while it does (`reportProgress`), which
    /// lets the match be stopped.
    private static func matches(_ expression: NSRegularExpression, _ name: String, before deadline: ContinuousClock.Instant) -> Bool? {
        var found = false
        var stopped = false
        expression.enumerateMatches(in: name, options: [.reportProgress], range: NSRange(name.startIndex..., in: name)) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if ContinuousClock.now >= deadline {
                stopped = true
                stop.pointee = true
            }
        }
        return stopped ? nil : found
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
