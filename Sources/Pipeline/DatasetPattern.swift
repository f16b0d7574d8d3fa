import Foundation

/// A dataset name pattern of a workspace: a shell glob over the whole name `/<PD>/<era>-<processing>/<tier>`, as
/// DIALS's `dbs_pattern` (`/ZeroBias/*Run202*/DQMIO`); `*` also crosses `/`. Without `*`, `?` or `[` it names one
/// dataset exactly.
public struct DatasetPattern: Sendable, Equatable, CustomStringConvertible {
    public let description: String

    /// Throws when `text` cannot name a dataset: empty, not starting with `/`, or with a `[` never closed.
    public init(_ text: String) throws(WorkspaceConfigError) {
        guard text.hasPrefix("/") else {
            throw WorkspaceConfigError(.badPattern, "dataset pattern \"\(text)\" does not start with / (datasets are /<PD>/<era>-<processing>/<tier>)")
        }
        var open = false
        for character in text {
            if character == "[" { open = true } else if character == "]" { open = false }
        }
        if open { throw WorkspaceConfigError(.badPattern, "dataset pattern \"\(text)\" has a [ without its ]") }
        description = text
    }

    public func matches(_ dataset: String) -> Bool {
        fnmatch(description, dataset, 0) == 0
    }
}
