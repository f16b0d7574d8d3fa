import ROOTIO

/// An error of the DQMIO layer: the file's content breaks the DQMIO layout, or a request is invalid.
/// ROOT-level failures stay `ROOTError`s; both print as one line naming the file.
public struct DQMIOError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The file is ROOT but not laid out as DQMIO (missing tree, impossible Indices row…).
        public static let layout = Code("layout")
        /// A selection (kind, pattern) that cannot be understood.
        public static let invalidArgument = Code("invalidArgument")
    }

    public let code: Code
    public let message: String
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
