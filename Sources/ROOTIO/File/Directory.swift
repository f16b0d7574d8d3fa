/// A TDirectory: its keys, read from its keys list (io/io/src/TDirectoryFile.cxx, `TDirectoryFile::Streamer`,
/// `ReadKeys`). The directory record is:
///
/// | field                            | bytes            |
/// |----------------------------------|------------------|
/// | fVersion                         | 2 (> 1000: 8-byte seeks) |
/// | fDatimeC, fDatimeM               | 4 + 4            |
/// | fNbytesKeys, fNbytesName         | 4 + 4            |
/// | fSeekDir, fSeekParent, fSeekKeys | 4 or 8 each      |
///
/// The keys list at fSeekKeys is a key header, a 4-byte count, then that many key headers.
public struct Directory: Sendable {
    public let path: String
    public let keys: [Key]

    static let directoryClasses: Set<String> = ["TDirectory", "TDirectoryFile"]

    init(path: String, record: inout Cursor, source: any ByteSource) throws {
        self.path = path
        let version = try record.i16()
        try record.skip(8)  // fDatimeC, fDatimeM
        let nbytesKeys = try record.i32()
        _ = try record.i32()  // fNbytesName
        let seekKeys: Int64
        if version > 1000 {
            try record.skip(16)
            seekKeys = try record.i64()
        } else {
            try record.skip(8)
            seekKeys = Int64(try record.i32())
        }
        guard seekKeys > 0, nbytesKeys > 0, seekKeys <= source.size - Int64(nbytesKeys) else {
            throw ROOTError(.malformed, "directory \(path.isEmpty ? "/" : path): keys list \(seekKeys)+\(nbytesKeys) lies outside the \(source.size)-byte file")
        }
        let list = try source.read(at: seekKeys, count: Int(nbytesKeys))
        var cursor = list.cursor()
        _ = try Key(from: &cursor, fileSize: source.size)  // the keys list's own header
        let count = try cursor.count(elementSize: Key.fixedPrefix, what: "key count")
        var keys: [Key] = []
        keys.reserveCapacity(count)
        for _ in 0..<count {
            keys.append(try Key(from: &cursor, fileSize: source.size))
        }
        self.keys = keys
    }

    /// The key called `name` (optionally `name;cycle`); the highest cycle when none is given.
    public func key(_ spec: String) throws -> Key {
        var name = Substring(spec)
        var cycle: Int16?
        if let semicolon = spec.lastIndex(of: ";"), let number = Int16(spec[spec.index(after: semicolon)...]) {
            name = spec[..<semicolon]
            cycle = number
        }
        let matches = keys.filter { $0.name == name && (cycle == nil || $0.cycle == cycle) }
        guard let best = matches.max(by: { $0.cycle < $1.cycle }) else {
            let names = Set(keys.map(\.name)).sorted()
            let close = names.filter { $0.lowercased().contains(name.lowercased()) || name.lowercased().contains($0.lowercased()) }
            let hint = close.isEmpty ? names : close
            throw ROOTError(.notFound, "no key \"\(spec)\" in \(path.isEmpty ? "/" : path) (has: \(hint.prefix(20).joined(separator: ", ")))")
        }
        return best
    }

    /// Opens the subdirectory stored under `key`.
    public func subdirectory(_ key: Key, source: any ByteSource) throws -> Directory {
        guard Self.directoryClasses.contains(key.className) else {
            throw ROOTError(.notFound, "\(key.name) in \(path.isEmpty ? "/" : path) is a \(key.className), not a directory")
        }
        var record = try key.payload(from: source).cursor()
        return try Directory(path: path.isEmpty ? key.name : "\(path)/\(key.name)", record: &record, source: source)
    }
}
