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
        let kinds = order.map { key in properties.first { $0.columns == [key.column] }?.cursorKind } + [.integer]
        guard cursor.values.count == kinds.count else { return false }
        return zip(cursor.values, kinds).allSatisfy { value, kind in
            switch (kind, value) {
            case (.integer, .int), (.number, .double), (.number, .int), (.text, .text): true
            default: false
            }
        }
    }

    /// The listing to read for the request's workspace, and the conditions of its filters and of the workspace.
    func selection(_ request: APIRequest) async throws -> (Listing, [Condition]) {
        let (listing, scoped) = try await scope(request)
        return (listing, scoped + (try await filterConditions(request)))
    }

    /// The conditions of the request's filters.
    private func filterConditions(_ request: APIRequest) async throws -> [Condition] {
        var conditions: [Condition] = []
        for filter in filters {
            if let value = try request.value(filter.parameter) {
                conditions += try await filter.conditions(value, request.state.catalog)
            }
        }
        return conditions
    }

    func list(_ request: APIRequest) async throws -> ListPage {
        let pageSize = paged ? Int(try request.integer(ListParameters.pageSize) ?? 50) : Self.everyItem
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
        let (listing, conditions) = try await selection(request)
        let page = try await request.state.catalog.page(listing, columns: projection.columns, conditions: conditions,
                                                        order: order, cursor: cursor, limit: pageSize)
        // Reading forward, more rows after means a next page; a page reached through any token has rows behind it.
        let backwards = cursor?.backwards ?? false
        let moreAfter = backwards ? true : page.hasMore
        let moreBefore = backwards ? page.hasMore : cursor != nil
        let next = moreAfter ? page.lastKey.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: false), ordering: ordering)) } : nil
        let previous = moreBefore ? page.firstKey.map { request.link(token: CursorToken.encode(PageCursor(values: $0, backwards: true), ordering: ordering)) } : nil
        return ListPage(rows: page.rows, projection: projection, next: next, previous: previous)
    }

    /// An unpaged list's bound: every item (the ME table holds thousands).
    private static let everyItem = 1_000_000

    /// `{"count": N}`: the items the list's filters select.
    func count(_ request: APIRequest) async throws -> JSONValue {
        let (listing, conditions) = try await selection(request)
        return .object([("count", .int(try await request.state.catalog.count(listing, conditions: conditions)))])
    }

    /// What the request's workspace keeps of this resource: the listing to read and its conditions (a 403 for a
    /// workspace the caller's token may not read).
    private func scope(_ request: APIRequest) async throws -> (Listing, [Condition]) {
        let scope = try request.readableWorkspace()
        let catalog = request.state.catalog
        return (try await scoping.listing(listing, scope, catalog: catalog), try await scoping.conditions(scope, catalog: catalog))
    }

    /// The item the path parameters `keys` name (within the request's workspace).
    func item(_ request: APIRequest, keys: [Key]) async throws -> JSONValue {
        var (listing, conditions) = try await scope(request)
        for key in keys {
            guard let value = try request.value(key.parameter) else { throw APIError.badParameter(key.parameter.name, "missing") }
            // A key that is a filter too means what the filter means (a histogram's dataset_id: its files).
            if let filter = filters.first(where: { $0.parameter.name == key.parameter.name }) {
                conditions += try await filter.conditions(value, request.state.catalog)
            } else {
                conditions.append(Condition(key.column, .equal(value.sqlValue)))
            }
        }
        guard let item = try await item(where: conditions, in: listing, projection: try projection(request), catalog: request.state.catalog) else {
            let named = keys.map { "\($0.parameter.name) \(request.pathParameters[$0.parameter.name] ?? "")" }.joined(separator: ", ")
            throw APIError.notFound("\(name) with \(named)")
        }
        return .object(item)
    }

    /// The first item matching `conditions`, or nil.
    func item(where conditions: [Condition], in listing: Listing? = nil, projection: Projection? = nil,
              catalog: Catalog) async throws -> [(String, JSONValue)]? {
        let projection = projection ?? whole
        let listing = listing ?? self.listing
        let page = try await catalog.page(listing, columns: projection.columns, conditions: conditions, order: [], cursor: nil, limit: 1)
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

    /// The endpoints of this resource: the list, its count, and the details it has.
    var endpoints: [Endpoint] {
        let scoped = scoping.narrows
        let listSchema = paged ? Schema.object([
            ("next", Schema.nullable("string")), ("previous", Schema.nullable("string")),
            ("results", Schema.array(itemSchema)),
        ]) : Schema.array(itemSchema)
        var endpoints = [Endpoint(method: .get, path: "/api/v1/\(name)", operationID: "list_\(operationName)",
                                  summary: summary, parameters: ListParameters.all(self), response: listSchema, scoped: scoped) { request in
            var out = JSONOutput(capacity: 1 << 16)
            let page = try await list(request)
            if paged {
                try page.write(into: &out)
            } else {
                out.write("[")
                try page.projection.write(page.rows, into: &out)
                out.write("]")
            }
            return .written(out)
        }]
        if countable {
            endpoints.append(Endpoint(method: .get, path: "/api/v1/\(name)/count", operationID: "count_\(operationName)",
                                      summary: "How many items of \(name) the filters select.",
                                      parameters: filters.map(\.parameter), response: Schema.object([("count", Schema.integer)]),
                                      scoped: scoped) {
                .json(try await count($0))
            })
        }
        if !detail.isEmpty {
            let keys = detail
            endpoints.append(Endpoint(method: .get, path: "/api/v1/\(name)/" + keys.map { "{\($0.parameter.name)}" }.joined(separator: "/"),
                                      operationID: "get_\(operationName)", summary: "One item of \(name).",
                                      parameters: keys.map(\.parameter) + [ListParameters.fields(self)], response: itemSchema,
                                      findsByID: true, scoped: scoped) { .json(try await item($0, keys: keys)) })
        }
        if let export = exportEndpoint { endpoints.append(export) }
        if let byID {
            endpoints.append(Endpoint(method: .get, path: "/api/v1/\(name)/by-id/{\(byID.parameter.name)}",
                                      operationID: "get_\(operationName)_by_id", summary: "One item of \(name), by our id.",
                                      parameters: [byID.parameter, ListParameters.fields(self)], response: itemSchema,
                                      findsByID: true, scoped: scoped) { .json(try await item($0, keys: [byID])) })
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
        case .integers(let numbers): .text(numbers.map(String.init).joined(separator: ","))
        }
    }
}
