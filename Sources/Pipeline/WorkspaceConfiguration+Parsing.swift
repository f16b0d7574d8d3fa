import DQMIO
import Foundation

/// The file format (README, "Workspaces"; `config/workspaces.dials.json` is DIALS's seven):
///
/// | key | type | |
/// |---|---|---|
/// | `workspaces` | array of objects | required, at least one |
/// | `default` | string | a workspace's name; absent: the first |
/// | `description` | string | free text, ignored |
///
/// Each workspace: `name` (required; letters, digits, `_`, `-`, `.`), `me` (required, non-empty array of ME patterns
/// in the `--me` syntax), `datasets` (optional, non-empty array of dataset globs), `description` (free text).
/// Any other key is an error, so that a misspelt one is not silently ignored.
extension WorkspaceConfiguration {
    static let topKeys: Set<String> = ["workspaces", "default", "description"]
    static let workspaceKeys: Set<String> = ["name", "me", "datasets", "description"]

    /// Reads and checks `path`; every error names the file and, inside it, the workspace and key at fault.
    public static func load(file path: String) throws(WorkspaceConfigError) -> WorkspaceConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it (\(error.localizedDescription))" : "no such file"
            throw WorkspaceConfigError(.unreadable, reason, file: path)
        }
        return try parse(data, file: path)
    }

    /// Parses the JSON text of a configuration; `file` names it in errors.
    public static func parse(_ data: Data, file: String? = nil) throws(WorkspaceConfigError) -> WorkspaceConfiguration {
        let top: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WorkspaceConfigError(.wrongType, "the file is not a JSON object ({\"default\": …, \"workspaces\": […]})", file: file)
            }
            top = object
        } catch let error as WorkspaceConfigError {
            throw error
        } catch {
            throw WorkspaceConfigError(.notJSON, "not valid JSON (\(error.localizedDescription))", file: file)
        }
        do throws(WorkspaceConfigError) {
            try checkKeys(top, allowed: topKeys)
            _ = try string(top["description"], "description", optional: true)
            guard let listed = top["workspaces"] else { throw WorkspaceConfigError(.missingKey, "no \"workspaces\" key") }
            guard let items = listed as? [Any] else { throw WorkspaceConfigError(.wrongType, "\"workspaces\" is not an array") }
            var workspaces: [Workspace] = []
            for (index, item) in items.enumerated() { workspaces.append(try workspace(item, index: index)) }
            return try WorkspaceConfiguration(workspaces, defaultName: try string(top["default"], "default", optional: true), file: file)
        } catch {
            throw error.located(file: file, at: nil)
        }
    }

    private static func workspace(_ item: Any, index: Int) throws(WorkspaceConfigError) -> Workspace {
        var place = "workspaces[\(index)]"
        guard let object = item as? [String: Any] else { throw WorkspaceConfigError(.wrongType, "\(place) is not an object") }
        do throws(WorkspaceConfigError) {
            let name = try string(object["name"], "name", optional: false) ?? ""
            place += " (\"\(name)\")"
            try checkKeys(object, allowed: workspaceKeys)
            _ = try string(object["description"], "description", optional: true)
            guard let me = try strings(object["me"], "me") else {
                throw WorkspaceConfigError(.missingKey, "no \"me\" key (its ME patterns)")
            }
            var mePatterns: [NamePattern] = []
            for text in me {
                guard !text.isEmpty else { throw WorkspaceConfigError(.badPattern, "an empty ME pattern (\"*\" selects every ME)") }
                guard let pattern = try? NamePattern(text) else {
                    throw WorkspaceConfigError(.badPattern, "bad ME pattern \"\(text)\": not a regular expression")
                }
                mePatterns.append(pattern)
            }
            var datasetPatterns: [DatasetPattern]?
            if let datasets = try strings(object["datasets"], "datasets") {
                datasetPatterns = []
                for text in datasets { datasetPatterns?.append(try DatasetPattern(text)) }
            }
            return Workspace(name: name, mePatterns: mePatterns, datasetPatterns: datasetPatterns)
        } catch {
            throw error.located(file: nil, at: place)
        }
    }

    private static func checkKeys(_ object: [String: Any], allowed: Set<String>) throws(WorkspaceConfigError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw WorkspaceConfigError(.unknownKey, "unknown key \"\(unknown)\" (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private static func string(_ value: Any?, _ key: String, optional: Bool) throws(WorkspaceConfigError) -> String? {
        guard let value else {
            if optional { return nil }
            throw WorkspaceConfigError(.missingKey, "no \"\(key)\" key")
        }
        guard let text = value as? String else { throw WorkspaceConfigError(.wrongType, "\"\(key)\" is not a string") }
        return text
    }

    private static func strings(_ value: Any?, _ key: String) throws(WorkspaceConfigError) -> [String]? {
        guard let value else { return nil }
        guard let items = value as? [Any], let texts = items as? [String], texts.count == items.count else {
            throw WorkspaceConfigError(.wrongType, "\"\(key)\" is not an array of strings")
        }
        return texts
    }
}
