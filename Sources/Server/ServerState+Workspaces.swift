import Foundation
import HTTPTypes
import Pipeline

extension ServerState {
    /// The pipeline's: the same file chose what the ETL loaded.
    var workspaces: WorkspaceConfiguration { pipeline.workspaces }

    /// The workspace a request's `Workspace` header names, as DIALS resolves it: absent or empty, the default; a
    /// configured name (exactly, case included), that one; any other, a 404 naming it and the known ones. Without a
    /// configuration file the header is not looked at: every request gets the implicit workspace, which selects
    /// everything, as before workspaces existed (a cmsdials client set to `workspace="tracker"` keeps working).
    func workspaceScope(header: String?) throws(APIError) -> WorkspaceScope {
        let configuration = workspaces
        let name = header?.trimmingCharacters(in: .whitespaces) ?? ""
        if configuration.isImplicit || name.isEmpty { return WorkspaceScope(workspace: configuration.defaultWorkspace) }
        guard let workspace = configuration.workspace(named: name) else {
            throw APIError(status: .notFound, message: "workspace \"\(name)\" not found (known: \(configuration.names.joined(separator: ", ")))",
                           parameter: nil)
        }
        return WorkspaceScope(workspace: workspace)
    }
}

extension APIRequest {
    /// This request's workspace, from its `Workspace` header (see `ServerState.workspaceScope(header:)`).
    func workspaceScope() throws(APIError) -> WorkspaceScope {
        try state.workspaceScope(header: headers[WorkspaceScope.headerName])
    }
}

extension APIRequest {
    /// The request's workspace when its caller may read it: a token whose workspaces claim (`--oidc-workspaces-claim`)
    /// does not name it is a 403.
    func readableWorkspace() throws(APIError) -> WorkspaceScope {
        let scope = try workspaceScope()
        if let allowed = principal.workspaces, !state.workspaces.isImplicit, !allowed.contains(scope.name) {
            throw APIError(status: .forbidden, message: "this token may not read workspace \"\(scope.name)\"", parameter: nil)
        }
        return scope
    }
}
