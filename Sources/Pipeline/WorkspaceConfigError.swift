/// What is wrong with a workspace configuration file: the file, where in it, and what. The code is opaque, so that
/// cases can be added without breaking callers.
public struct WorkspaceConfigError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Equatable, CustomStringConvertible {
        enum Value: String, Sendable {
            case unreadable, notJSON, unknownKey, missingKey, wrongType, badName, duplicateName, badPattern, noWorkspaces,
                 unknownDefault
        }
        let value: Value
        public var description: String { value.rawValue }

        /// The file cannot be read.
        public static let unreadable = Code(value: .unreadable)
        /// The file is not JSON.
        public static let notJSON = Code(value: .notJSON)
        /// A key the format does not have (a misspelling would otherwise be ignored).
        public static let unknownKey = Code(value: .unknownKey)
        public static let missingKey = Code(value: .missingKey)
        /// A value of the wrong JSON type (a string where a list is wanted, …).
        public static let wrongType = Code(value: .wrongType)
        public static let badName = Code(value: .badName)
        public static let duplicateName = Code(value: .duplicateName)
        /// An ME or dataset pattern that cannot be used.
        public static let badPattern = Code(value: .badPattern)
        public static let noWorkspaces = Code(value: .noWorkspaces)
        /// `default` names no workspace of the file.
        public static let unknownDefault = Code(value: .unknownDefault)
    }

    public let code: Code
    /// The configuration file, when the error is about one.
    public let file: String?
    public let message: String

    public init(_ code: Code, _ message: String, file: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
    }

    /// The same error, said of `file` (at `place` in it, e.g. `workspaces[2] ("hcal")`).
    func located(file: String?, at place: String?) -> WorkspaceConfigError {
        WorkspaceConfigError(code, place.map { "\($0): \(message)" } ?? message, file: file ?? self.file)
    }

    public var description: String {
        file.map { "workspace configuration \($0): \(message)" } ?? "workspace configuration: \(message)"
    }
}
