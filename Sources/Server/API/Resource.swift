import Catalog

/// A listable API resource: its catalog listing, filters, orderings and item properties — the API's vocabulary as
/// typed values over the catalog's columns. One definition gives the list endpoint, the detail endpoints and their
/// OpenAPI description.
struct Resource: Sendable {
    /// A filter parameter and the catalog conditions a value of it means.
    struct Filter: Sendable {
        let parameter: Parameter
        let conditions: @Sendable (ParameterValue, Catalog) async throws -> [Condition]

        /// `name` (or `name__gte` / `name__lte` with `ranged`) compared with one column.
        static func column(_ name: String, _ summary: String, _ column: Column, kind: Parameter.Kind = .integer(minimum: 0, maximum: Int64.max),
                           ranged: Bool = false) -> [Filter] {
            let field = column
            var filters = [Filter(parameter: Parameter(name: name, kind: kind, summary: summary)) { value, _ in [Condition(field, .equal(value.sqlValue))] }]
            if ranged {
                filters.append(Filter(parameter: Parameter(name: name + "__gte", kind: kind, summary: summary + " (at least)")) { value, _ in
                    [Condition(field, .atLeast(value.sqlValue))]
                })
                filters.append(Filter(parameter: Parameter(name: name + "__lte", kind: kind, summary: summary + " (at most)")) { value, _ in
                    [Condition(field, .atMost(value.sqlValue))]
                })
            }
            return filters
        }
    }

    let name: String
    let summary: String
    let listing: Listing
    let filters: [Filter]
    /// `order_by` choices (a leading `-` descends); the first is the default.
    let orderings: [(name: String, keys: [OrderKey])]
    /// The detail endpoint's path parameters, DIALS's composite key, with the columns they match (a key that is
    /// also a filter means what the filter means); empty when there is none.
    let detail: [Key]
    /// A second detail endpoint of ours, by one id (the UI's histogram pages), or nil.
    let byID: Key?

    /// A path parameter of a detail endpoint and the column it names.
    struct Key: Sendable {
        let parameter: Parameter
        let column: Column

        init(_ name: String, _ summary: String, _ column: Column) {
            parameter = Parameter.path(name, summary)
            self.column = column
        }
    }
    /// Has a `count` endpoint (`{"count": N}` for the list's filters).
    let countable: Bool
    /// Lists in pages of `{next, previous, results}`; otherwise one bare array of every item (DIALS's `mes/`).
    let paged: Bool
    /// How the request's workspace narrows the rows.
    let scoping: Scoping
    /// 1 or 2 for the histogram resources, which have an export endpoint (`Resource+Export.swift`); nil otherwise.
    let histogramDimension: Int?
    /// Every property, in output order: items without `fields=`.
    let whole: Projection
    var properties: [Property] { whole.properties }

    init(name: String, summary: String, listing: Listing, properties: [Property], filters: [Filter],
         orderings: [(name: String, keys: [OrderKey])], detail: [Key], byID: Key? = nil,
         countable: Bool = false, paged: Bool = true, scoping: Scoping, histogramDimension: Int? = nil) {
        self.name = name
        self.summary = summary
        self.listing = listing
        self.filters = filters
        self.orderings = orderings
        self.detail = detail
        self.byID = byID
        self.countable = countable
        self.paged = paged
        self.scoping = scoping
        self.histogramDimension = histogramDimension
        whole = Projection(properties)
    }

    var itemSchema: JSONValue {
        // No `required`: `fields=` may leave any property out.
        .object([("type", .string("object")), ("properties", .object(properties.map { ($0.name, $0.schema) })),
                 ("additionalProperties", .bool(false))])
    }
}

/// Parameters every list takes.
enum ListParameters {
    static let pageSize = Parameter.integer("page_size", "Items per page (default 50).", minimum: 1, maximum: 500)
    static let nextToken = Parameter(name: "next_token", kind: .string,
                                     summary: "The cursor from a previous answer's `next` or `previous` link.")

    static func fields(_ resource: Resource) -> Parameter {
        Parameter(name: "fields", kind: .list(resource.properties.map(\.name)), summary: "Only these fields in each item.")
    }

    static func orderBy(_ resource: Resource) -> Parameter {
        Parameter(name: "order_by", kind: .choice(resource.orderings.map(\.name)), summary: "Ordering (a leading - descends).")
    }

    static func all(_ resource: Resource) -> [Parameter] {
        (resource.paged ? [pageSize, nextToken] : []) + [fields(resource)] + (resource.orderings.count > 1 ? [orderBy(resource)] : [])
            + resource.filters.map(\.parameter)
    }
}
