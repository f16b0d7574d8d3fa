import Foundation

/// A `__regex` filter resolved to the ids of the names it matches (ME names, dataset names, logical file names):
/// one regular expression syntax (ICU's) on SQLite and PostgreSQL alike, matched through the `RegexGate` so that
/// public reads cannot take the server's CPU.
enum RegexFilter {
    static func ids(_ parameter: Parameter, pattern: String,
                    among names: @escaping @Sendable () async throws -> [(id: Int64, name: String)]) async throws -> [Int64] {
        let expression: NSRegularExpression
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw APIError.badParameter(parameter.name, "not a regular expression: \(pattern.prefix(80))")
        }
        switch try await RegexGate.shared.matches(expression, in: names) {
        case .matched(let ids):
            return ids
        case .overBudget:
            throw APIError.badParameter(parameter.name, "matching took over \(RegexGate.budget) across the names; "
                                        + "nested repetitions such as (a+)+ or (.*)* backtrack without end")
        case .busy:
            throw APIError(status: .serviceUnavailable, message: "too many __regex filters are being matched at once; retry shortly",
                           parameter: parameter.name)
        }
    }
}
