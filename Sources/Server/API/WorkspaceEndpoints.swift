/// The workspace endpoints cmsdials' `WorkspaceClient` calls (`workspaces/`, `workspaces/my-default/`), answering in
/// the shapes of DIALS's backend (`ConfiguredWorkspacesSerializer`: `{"workspaces": [names]}`; the user's default:
/// `{"workspace": name}`), which the client hands back as raw JSON. Both spellings of each path, with and without
/// the trailing slash, reach them. The server's default is the configuration's `default` (DIALS chooses one per
/// user from their CERN roles; we have none to go by).
enum WorkspaceEndpoints {
    static let all: [Endpoint] = [list, myDefault]

    static let list = Endpoint(
        method: .get, path: "/api/v1/workspaces", operationID: "list_workspaces",
        summary: "The configured workspaces' names, in the configuration's order (without one: the implicit `all`).",
        parameters: [], response: Schema.object([("workspaces", Schema.array(Schema.string))])
    ) { request in
        .json(.object([("workspaces", .array(request.state.workspaces.names.map(JSONValue.string)))]))
    }

    static let myDefault = Endpoint(
        method: .get, path: "/api/v1/workspaces/my-default", operationID: "my_default_workspace",
        summary: "The workspace a request without a Workspace header is scoped to.",
        parameters: [], response: Schema.object([("workspace", Schema.string)])
    ) { request in
        .json(.object([("workspace", .string(request.state.workspaces.defaultWorkspace.name))]))
    }
}
