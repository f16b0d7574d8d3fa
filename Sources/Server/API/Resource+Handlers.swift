import Catalog

/// The list and detail answers of every resource: `{"next", "previous", "results"}` with keyset cursors.
extension Resource {
    /// One page of items, with the links to the neighbouring pages.
    struct ListPage: Sendable {
        let items: [[(String, JSONValue)]]
        let next: String?
        let previous: String?

        var json: JSONValue {
            .object([("next", .of(next)), ("previous", .of(previous)), ("results", .array(items.map(JSONValue.object)))])
        }
    }

    func list(_ request: APIRequest) async throws -> ListPage {
        let pageSize = Int(try request.integer(ListParameters.pageSize) ?? 50)
        let fields = try request.value(ListParameters.fields(self))?.list
        var (ordering, order) = orderings[0]
        if let name = try request.value(ListParameters.orderBy(self))?.string,
           let chosen = orderings.first(where: { $0.name == name }) {
            (ordering, order) = chosen
        }
        let cursor = try request.query[ListParameters.nextToken.name].map { token throws(APIError) in
            try CursorToken.decode(token, ordering: ordering, parameter: ListParameters.nextToken.name)
        }
        if let cursor, cursor.values.count != order.count + 1 {
            throw APIError.badParameter(ListParameters.nextToken.name, "not a token of this list")
        }
        var conditions: [Condition] = []
        for filter in filters {
            if let value = try request.value(filter.parameter) {
                conditions += try await filter.conditions(value, request.state.catalog)
            }
        }
        let page = try await request.state.catalog.page(listing, fields: readFields, conditions: conditions, order: order,
                                                        cursor: cursor, limit: pageSize)
        let items = try page.rows.map { row in Self.project(try render(row), fields) }
        // Reading forward, more rows after means a next page; a page reached through any token has rows behind it.
        let backwards = cursor?.backwards ?? false
        let moreAfter = backwards ? true : page.hasMore
        let moreBefore = backwards ? page.hasMore : cursor != nil
        let next = moreAfter ? page.keys.last.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: false), ordering: ordering)) } : nil
        let previous = moreBefore ? page.keys.first.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: true), ordering: ordering)) } : nil
        return ListPage(items: items, next: next, previous: previous)
    }

    func item(_ request: APIRequest) async throws -> JSONValue {
        guard let detail, let key = try request.value(detail.parameter) else {
            throw APIError.badParameter(detail?.parameter.name ?? "id", "missing")
        }
        let fields = try request.value(ListParameters.fields(self))?.list
        guard let item = try await item(key.sqlValue, catalog: request.state.catalog) else {
            throw APIError.notFound("\(name) \(key.sqlValue.int ?? 0)")
        }
        return .object(Self.project(item, fields))
    }

    /// The item whose detail key is `key`, or nil.
    func item(_ key: SQLValue, catalog: Catalog) async throws -> [(String, JSONValue)]? {
        guard let detail else { return nil }
        let page = try await catalog.page(listing, fields: readFields, conditions: [Condition(detail.field, .equal(key))],
                                          order: [], cursor: nil, limit: 1)
        return try page.rows.first.map(render)
    }

    private static func project(_ members: [(String, JSONValue)], _ fields: [String]?) -> [(String, JSONValue)] {
        guard let fields else { return members }
        let wanted = Set(fields)
        return members.filter { wanted.contains($0.0) }
    }

    /// The resource's name as operation ids spell it (`file-index` → `file_index`).
    private var operationName: String { name.replacingOccurrences(of: "-", with: "_") }

    /// The endpoints of this resource: the list, and the detail when it has one.
    var endpoints: [Endpoint] {
        let listSchema = Schema.object([
            ("next", Schema.nullable("string")), ("previous", Schema.nullable("string")),
            ("results", Schema.array(itemSchema)),
        ])
        var endpoints = [Endpoint(method: .get, path: "/api/v1/\(name)", operationID: "list_\(operationName)",
                                  summary: summary, parameters: ListParameters.all(self), response: listSchema) { .json(try await list($0).json) }]
        if let detail {
            endpoints.append(Endpoint(method: .get, path: "/api/v1/\(name)/{\(detail.parameter.name)}",
                                      operationID: "get_\(operationName)", summary: "One item of \(name).",
                                      parameters: [detail.parameter, ListParameters.fields(self)], response: itemSchema,
                                      findsByID: true) { .json(try await item($0)) })
        }
        return endpoints
    }
}

extension ParameterValue {
    var sqlValue: SQLValue {
        switch self {
        case .integer(let number): .int(number)
        case .boolean(let flag): .of(flag)
        case .string(let text): .text(text)
        case .list(let items): .text(items.joined(separator: ","))
        }
    }
}
