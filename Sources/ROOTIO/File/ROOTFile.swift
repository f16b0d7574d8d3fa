/// An open ROOT file: header, top directory and lookups by path. Immutable once open, so one `ROOTFile` is read
/// from many threads at once. (uproot `reading.py` `ReadOnlyFile`; groot `riofs/file.go`.)
public final class ROOTFile: Sendable {
    public let path: String
    public let source: any ByteSource
    public let header: FileHeader
    public let root: Directory

    /// Opens `path` and reads its header and top directory. Errors name the file.
    public convenience init(path: String) throws {
        let source: FileByteSource
        do {
            source = try FileByteSource(path: path)
        } catch let error as ROOTError {
            throw error.inFile(path)
        }
        try self.init(source: source, path: path)
    }

    public init(source: any ByteSource, path: String) throws {
        self.path = path
        self.source = source
        do {
            guard source.size > 0 else { throw ROOTError(.malformed, "empty file (0 bytes)") }
            let headerBytes = try source.read(at: 0, count: Int(min(source.size, Int64(FileHeader.maximumSize))))
            let header = try FileHeader(headerBytes, fileSize: source.size)
            self.header = header
            let directoryAt = header.begin + Int64(header.nbytesName)
            let record = try source.read(at: directoryAt, count: Int(min(64, source.size - directoryAt)))
            var cursor = record.cursor()
            root = try ROOTError.framed("top directory") { try Directory(path: "", record: &cursor, source: source) }
        } catch let error as ROOTError {
            throw error.inFile(path)
        }
    }

    /// The key at `path` (`a/b/name;cycle`), descending through subdirectories.
    public func key(_ path: String) throws -> Key {
        var directory = root
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let last = parts.last else { throw ROOTError(.notFound, "empty key path", path: self.path) }
        do {
            for part in parts.dropLast() {
                directory = try directory.subdirectory(try directory.key(part), source: source)
            }
            return try directory.key(last)
        } catch let error as ROOTError {
            throw error.inFile(self.path)
        }
    }

    /// The directory at `path` (empty: the top).
    public func directory(_ path: String) throws -> Directory {
        var directory = root
        do {
            for part in path.split(separator: "/", omittingEmptySubsequences: true) {
                directory = try directory.subdirectory(try directory.key(String(part)), source: source)
            }
        } catch let error as ROOTError {
            throw error.inFile(self.path)
        }
        return directory
    }

    /// Runs `body`, naming this file in any `ROOTError` it throws.
    public func attributing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ROOTError {
            throw error.inFile(path)
        }
    }
}
