/// The OpenAPI 3.1 document, generated from the endpoint table the router is built from.
enum OpenAPIDocument {
    /// `workspaces`: the configured names (nil without a configuration, when the header is not read).
    static func build(_ endpoints: [Endpoint], settings: ServerSettings, workspaces: [String]?) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for endpoint in endpoints {
            let operation = (endpoint.method.rawValue, self.operation(endpoint, settings: settings, workspaces: workspaces))
            if let index = paths.firstIndex(where: { $0.0 == endpoint.path }), case .object(let operations) = paths[index].1 {
                paths[index].1 = .object(operations + [operation])
            } else {
                paths.append((endpoint.path, .object([operation])))
            }
        }
        return .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([
                ("title", .string("MLPlayground API")),
                ("version", .string("1")),
                ("description", .string("CMS DQMIO files, runs, lumisections and per-lumisection histograms. Lists answer "
                    + "{next, previous, results} with cursor pagination (next_token, page_size); fields=a,b chooses output fields.")),
            ])),
            ("paths", .object(paths)),
            ("components", .object([
                ("securitySchemes", .object([("bearer", bearerScheme(settings))])),
                ("schemas", .object([("Error", APIError.schema)])),
            ])),
        ])
    }

    /// `Authorization: Bearer …`: a static token, and with OIDC also a JWT from the configured issuer.
    static func bearerScheme(_ settings: ServerSettings) -> JSONValue {
        var description = "A token the server was started with (--token)."
        if let oidc = settings.oidc {
            description += " Or an OIDC access token: a JWT signed RS256 or ES256 with a key of the server's JWKS, iss \(oidc.issuer),"
                + " aud containing \(oidc.audience), not expired."
        }
        return .object([("type", .string("http")), ("scheme", .string("bearer")), ("description", .string(description))])
    }

    /// The `Workspace` header of the reads a workspace scopes, as the cmsdials client sends it.
    private static func workspaceHeader(_ names: [String]?) -> JSONValue {
        let schema: JSONValue = names.map { Schema.choice($0) } ?? Schema.string
        let description = names == nil ? "Ignored: the server has no workspace configuration." : "The workspace to read in; absent: the default."
        return .object([("name", .string("Workspace")), ("in", .string("header")), ("required", .bool(false)),
                        ("description", .string(description)), ("schema", schema)])
    }

    private static func operation(_ endpoint: Endpoint, settings: ServerSettings, workspaces: [String]?) -> JSONValue {
        let error: JSONValue = .object([("$ref", .string("#/components/schemas/Error"))])
        func answer(_ description: String, _ schema: JSONValue, mediaTypes: [String] = ["application/json"]) -> JSONValue {
            .object([("description", .string(description)),
                     ("content", .object(mediaTypes.map { ($0, .object([("schema", schema)])) }))])
        }
        var responses: [(String, JSONValue)] = [("200", answer("OK", endpoint.response, mediaTypes: endpoint.mediaTypes))]
        if !endpoint.parameters.isEmpty { responses.append(("400", answer("A parameter is invalid; `parameter` names it.", error))) }
        let secured = endpoint.writes || settings.requireTokenForReads
        if secured { responses.append(("401", answer("No valid bearer token.", error))) }
        if endpoint.findsByID || (endpoint.scoped && workspaces != nil) {
            responses.append(("404", answer(endpoint.findsByID ? "No such id (in the workspace)." : "No such workspace.", error)))
        }
        if endpoint.scoped && workspaces != nil && settings.oidc?.workspacesClaim != nil {
            responses.append(("403", answer("The token's workspaces claim does not name the workspace.", error)))
        }
        if endpoint.operationID == APIEndpoints.triggerIndexing.operationID {
            responses.append(("409", answer("The server has no storage roots to index.", error)))
        }
        if endpoint.operationID == APIEndpoints.health.operationID {
            responses.append(("503", answer("The database does not answer.", error)))
        }
        var operation: [(String, JSONValue)] = [
            ("operationId", .string(endpoint.operationID)),
            ("summary", .string(endpoint.summary)),
            ("parameters", .array(endpoint.parameters.map(\.document) + (endpoint.scoped ? [workspaceHeader(workspaces)] : []))),
            ("responses", .object(responses)),
        ]
        if secured { operation.append(("security", .array([.object([("bearer", .array([]))])]))) }
        return .object(operation)
    }
}
