/// An error reading a ROOT file: what went wrong, where (absolute byte offset), and in what (the chain of
/// keys, branches and classes being read). The code is opaque so that cases can be added without breaking callers.
public struct ROOTError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The bytes end before the structure being read does.
        public static let truncated = Code("truncated")
        /// The bytes are not what the format allows (bad magic, impossible sizes or counts).
        public static let malformed = Code("malformed")
        /// A byte count or checksum disagrees with what was read.
        public static let mismatch = Code("mismatch")
        /// A decompressor refused its input.
        public static let compression = Code("compression")
        /// A class version or algorithm this reader does not know.
        public static let unsupported = Code("unsupported")
        /// A named key, branch or tree is absent.
        public static let notFound = Code("notFound")
        /// The operating system refused to read the file.
        public static let io = Code("io")
    }

    public let code: Code
    public let message: String
    /// Absolute offset in the file, when the error is about specific bytes.
    public var offset: Int64?
    /// Outermost first: e.g. ["tree TH1Fs", "branch Value", "entry 12", "TH1F", "TAxis"].
    public var context: [String]
    /// The file being read, filled in by the layer that knows it.
    public var path: String?

    public init(_ code: Code, _ message: String, offset: Int64? = nil, context: [String] = [], path: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.context = context
        self.path = path
    }

    /// The same error seen from one level further out (e.g. inside `branch Value`).
    public func within(_ frame: String) -> ROOTError {
        var copy = self
        copy.context.insert(frame, at: 0)
        return copy
    }

    public func inFile(_ path: String) -> ROOTError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let path { parts.append(path) }
        if !context.isEmpty { parts.append(context.joined(separator: " > ")) }
        var text = parts.joined(separator: ": ")
        text += text.isEmpty ? message : ": \(message)"
        if let offset { text += " (at byte \(offset))" }
        return text
    }
}

extension ROOTError {
    /// Runs `body`, prefixing any `ROOTError` it throws with `frame`.
    @inlinable
    public static func framed<T>(_ frame: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ROOTError {
            throw error.within(frame())
        }
    }
}
