import DQMIO

/// The workspaces of a deployment (`--workspaces FILE` / `MLP_WORKSPACES`), one of them the default. The ETL loads
/// the union of their ME patterns; the server scopes each request to the one its `Workspace` header names.
/// Without a file there is one implicit workspace, `all`, which selects every ME and dataset.
public struct WorkspaceConfiguration: Sendable {
    /// In the file's order.
    public let workspaces: [Workspace]
    public let defaultWorkspace: Workspace
    /// The file read; nil for the implicit configuration.
    public let file: String?

    /// No file: the one workspace `all`, selecting everything, so that nothing changes for deployments without one.
    public static let implicit = WorkspaceConfiguration(implicit: Workspace(name: "all", mePatterns: []))

    public var isImplicit: Bool { file == nil && workspaces.count == 1 && workspaces[0].mePatterns.isEmpty }

    private init(implicit workspace: Workspace) {
        workspaces = [workspace]
        defaultWorkspace = workspace
        file = nil
    }

    /// Checks what a file must satisfy: at least one workspace, valid and distinct names, at least one ME pattern
    /// each, a dataset list (when given) that is not empty, and `defaultName` (nil: the first workspace, as DIALS
    /// takes the first when DJANGO_DEFAULT_WORKSPACE is unset) among them.
    public init(_ workspaces: [Workspace], defaultName: String? = nil, file: String? = nil) throws(WorkspaceConfigError) {
        guard let first = workspaces.first else {
            throw WorkspaceConfigError(.noWorkspaces, "\"workspaces\" lists none", file: file)
        }
        var seen: Set<String> = []
        for (index, workspace) in workspaces.enumerated() {
            let place = "workspaces[\(index)]"
            guard Workspace.isValidName(workspace.name) else {
                throw WorkspaceConfigError(.badName, "\(place): name \"\(workspace.name)\" is not 1–64 letters, digits, _, - or .", file: file)
            }
            guard seen.insert(workspace.name).inserted else {
                throw WorkspaceConfigError(.duplicateName, "\(place): a second workspace named \"\(workspace.name)\"", file: file)
            }
            guard !workspace.mePatterns.isEmpty else {
                throw WorkspaceConfigError(.missingKey, "\(place) (\"\(workspace.name)\"): \"me\" lists no pattern (\"*\" selects every ME)", file: file)
            }
            if workspace.datasetPatterns?.isEmpty == true {
                throw WorkspaceConfigError(.missingKey, "\(place) (\"\(workspace.name)\"): \"datasets\" lists no pattern (leave it out for every dataset)", file: file)
            }
        }
        let chosen = defaultName ?? first.name
        guard let found = workspaces.first(where: { $0.name == chosen }) else {
            throw WorkspaceConfigError(.unknownDefault, "default \"\(chosen)\" is none of the workspaces (\(workspaces.map(\.name).joined(separator: ", ")))", file: file)
        }
        self.workspaces = workspaces
        defaultWorkspace = found
        self.file = file
    }

    public func workspace(named name: String) -> Workspace? {
        workspaces.first { $0.name == name }
    }

    public var names: [String] { workspaces.map(\.name) }

    /// Every workspace's ME patterns, each once (by spelling), in the file's order: what the ETL loads. Empty — every
    /// ME — for the implicit configuration.
    public var mePatterns: [NamePattern] {
        var seen: Set<String> = []
        return workspaces.flatMap(\.mePatterns).filter { seen.insert($0.description).inserted }
    }
}
