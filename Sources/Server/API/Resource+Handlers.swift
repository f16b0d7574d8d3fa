import Catalog

/// The list and detail answers of every resource: `{"next", "previous", "results"}` with keyset cursors.
extension Resource {
    /// One page of rows, with the links to the neighbouring pages.
    struct ListPage: Sendable {
        let rows: [PageRow]
        let projection: Projection
        let next: String?
        let previous: String?

        /// The items as members, for pages rendered from them.
        func items() throws -> [[(String, JSONValue)]] { try rows.map(projection.members) }

        /// `{"next": …, "previous": …, "results": [items]}`, each item written straight from its row.
        func write(into out: inout JSONOutput) throws {
            out.write("{\"next\":")
            JSONValue.of(next).write(into: &out)
            out.write(",\"previous\":")
            JSONValue.of(previous).write(into: &out)
            out.write(",\"results\":[")
            try projection.write(rows, into: &out)
            out.write("]}")
        }
    }

    /// A cursor holds one value per ordering key and then the row's id, each of its column's type: compared with a
    /// column of another type, PostgreSQL would fail the query.
    private func fits(_ cursor: PageCursor, _ order: [OrderKey]) -> Bool {
        let kinds = order.map { key in properties.first { $0.fields == [key.field] }?.value } + [.integer]
        guard cursor.values.count == kinds.count else { return false }
        return zip(cursor.values, kinds).allSatisfy { value, kind in
            switch (kind, value) {
            case (.integer, .int), (.number, .double), (.number, .int), (.text, .text): true
            default: false
            }
        }
    }

    func list(_ request: APIRequest) async throws -> ListPage {
        let pageSize = Int(try request.integer(ListParameters.pageSize) ?? 50)
        let projection = try projection(request)
        var (ordering, order) = orderings[0]
        if let name = try request.value(ListParameters.orderBy(self))?.string,
           let chosen = orderings.first(where: { $0.name == name }) {
            (ordering, order) = chosen
        }
        let cursor = try request.query[ListParameters.nextToken.name].map { token throws(APIError) in
            try CursorToken.decode(token, ordering: ordering, parameter: ListParameters.nextToken.name)
        }
        if let cursor, !fits(cursor, order) {
            throw APIError.badParameter(ListParameters.nextToken.name, "not a token of this list")
        }
        var conditions: [Condition] = []
        for filter in filters {
            if let value = try request.value(filter.parameter) {
                conditions += try await filter.conditions(value, request.state.catalog)
            }
        }
        let page = try await request.state.catalog.page(listing, fields: projection.fields, conditions: conditions, order: order,
                                                        cursor: cursor, limit: pageSize)
        // Reading forward, more rows after means a next page; a page reached through any token has rows behind it.
        let backwards = cursor?.backwards ?? false
        let moreAfter = backwards ? true : page.hasMore
        let moreBefore = backwards ? page.hasMore : cursor != nil
        let next = moreAfter ? page.lastKey.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: false), ordering: ordering)) } : nil
        let previous = moreBefore ? page.firstKey.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: true), ordering: ordering)) } : nil
        return ListPage(rows: page.rows, projection: projection, next: next, previous: previous)
    }

    func item(_ request: APIRequest) async throws -> JSONValue {
        guard let detail, let key = try request.value(detail.parameter) else {
            throw APIError.badParameter(detail?.parameter.name ?? "id", "missing")
        }
        guard let item = try await item(key.sqlValue, projection: try projection(request), catalog: request.state.catalog) else {
            throw APIError.notFound("\(name) \(key.sqlValue.int ?? 0)")
        }
        return .object(item)
    }

    /// The item whose detail key is `key`, or nil.
    func item(_ key: SQLValue, projection: Projection? = nil, catalog: Catalog) async throws -> [(String, JSONValue)]? {
        guard let detail else { return nil }
        let projection = projection ?? whole
        let page = try await catalog.page(listing, fields: projection.fields, conditions: [Condition(detail.field, .equal(key))],
                                          order: [], cursor: nil, limit: 1)
        return try page.rows.first.map(projection.members)
    }

    /// The properties `fields=` chooses, in declaration order; all of them without it. Only their fields are read.
    private func projection(_ request: APIRequest) throws -> Projection {
        guard let fields = try request.value(ListParameters.fields(self))?.list else { return whole }
        let wanted = Set(fields)
        return Projection(properties.filter { wanted.contains($0.name) })
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
                                  summary: summary, parameters: ListParameters.all(self), response: listSchema) { request in
            var out = JSONOutput(capacity: 1 << 16)
            try await list(request).write(into: &out)
            return .written(out)
        }]
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
