/// `/docs`: the API reference, rendered from the endpoint table (the same one `/openapi.yaml` comes from).
enum DocsPage {
    static func render(_ endpoints: [Endpoint]) -> String {
        var body = "<p>Machine-readable: <a href=\"/openapi.yaml\">/openapi.yaml</a> (OpenAPI 3.1). Lists answer "
            + "<code>{\"next\", \"previous\", \"results\"}</code>; follow <code>next</code> to page. Writes need "
            + "<code>Authorization: Bearer TOKEN</code>.</p>"
        for endpoint in endpoints {
            body += "<section class=\"endpoint\"><h2><code>\(endpoint.method.rawValue.uppercased()) \(HTML.escape(endpoint.path))</code></h2>"
            body += "<p>\(HTML.escape(endpoint.summary))\(endpoint.writes ? " <b>Requires a token.</b>" : "")</p>"
            if !endpoint.parameters.isEmpty {
                body += HTML.table(["Parameter", "In", "Type", "Description"], endpoint.parameters.map { parameter in
                    [ "<code>\(HTML.escape(parameter.name))</code>", parameter.location.rawValue,
                      HTML.escape(parameter.schema.serialized()), HTML.escape(parameter.summary)]
                })
            }
            body += "</section>"
        }
        return HTML.page(title: "API reference", signedIn: false, csrf: nil, body: body)
    }
}
