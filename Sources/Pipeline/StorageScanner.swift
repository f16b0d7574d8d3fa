#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Walks storage roots for regular `*.root` files, without following symbolic links below the root (so no loops,
/// and mounts only entered once). Read-only mounts are fine: nothing is written.
///
/// A root that cannot be listed throws `StorageRootUnreadable`: an EOS mount that dropped must not look like a
/// storage whose files all vanished. Below the root, what cannot be seen (a folder that cannot be listed, an entry
/// that cannot be stat'ed, a name that is not UTF-8) is reported by name in `problems` and in `unseen`, so the
/// indexer leaves the files it knows there as they were, and the walk goes on.
public struct StorageScanner: Sendable {
    public struct Found: Sendable {
        public let path: String
        public let root: String
        public let relativePath: String
        public let size: Int64
        public let mtime: Double
        public let ctime: Double
    }

    public struct Result: Sendable {
        public var files: [Found] = []
        /// What could not be seen, with the reason: `path: reason`, the path escaped (`EscapedText`).
        public var problems: [String] = []
        /// Paths whose contents this walk could not see: a folder (ending in `/`) or a file. Files the catalog holds
        /// there are neither unchanged nor vanished; they keep their state.
        public var unseen: [String] = []
        /// Entries in the root folder itself: an unmounted mount point is an empty folder.
        public var rootEntries = 0
    }

    public init() {}

    /// Walks `root`. A walk of a large mount can take minutes before any file is read: `heartbeat` hears it is
    /// still going at most every `heartbeatInterval` (the job's watchdog counts that as progress), and a cancelled
    /// task stops it at the next folder.
    public func scan(root: String, heartbeatInterval: Duration = .seconds(1),
                     heartbeat: () async throws -> Void = {}) async throws -> Result {
        let base = Self.normalized(root)
        // The root itself may be a symbolic link (a mount's alias); what lies below is not followed.
        var rootInfo = stat()
        guard stat(base, &rootInfo) == 0 else { throw StorageRootUnreadable(root: base, reason: Self.lastError()) }
        guard rootInfo.st_mode & S_IFMT == S_IFDIR else { throw StorageRootUnreadable(root: base, reason: "not a folder") }

        var result = Result()
        var visited = Set<[UInt64]>()
        var pending: [[UInt8]] = [Array(base.utf8)]
        var isRoot = true
        let clock = ContinuousClock()
        var lastHeartbeat = clock.now
        while let folder = pending.popLast() {
            try Task.checkCancellation()
            if clock.now - lastHeartbeat >= heartbeatInterval {
                try await heartbeat()
                lastHeartbeat = clock.now
            }
            let listing = Self.list(folder, visited: &visited, followLink: isRoot)
            if isRoot {
                if let failure = listing.failure { throw StorageRootUnreadable(root: base, reason: failure) }
                result.rootEntries = listing.entries.count
                isRoot = false
            } else if let failure = listing.failure {
                result.problems.append("\(EscapedText.of(folder)): \(failure)")
                result.unseen.append(String(decoding: folder, as: UTF8.self) + "/")
            } else if listing.seenBefore {
                // The same folder again under another path (a bind mount): walked once, its second path left alone.
                result.unseen.append(String(decoding: folder, as: UTF8.self) + "/")
            }
            // Pushed in reverse name order, so folders are walked in name order: the same order on every scan.
            for entry in listing.entries.reversed() {
                let path = Self.joined(folder, entry.name)
                let isRootFile = entry.name.count >= 5 && entry.name.suffix(5).elementsEqual(".root".utf8)
                switch entry.type {
                case .directory:
                    pending.append(path)
                case .regular where isRootFile, .unknown where isRootFile:
                    guard let text = String(validating: path, as: UTF8.self) else {
                        result.problems.append("\(EscapedText.of(path)): file name is not valid UTF-8, not indexed")
                        continue
                    }
                    var info = stat()
                    guard lstat(text, &info) == 0 else {
                        result.problems.append("\(EscapedText.of(path)): \(Self.lastError())")
                        result.unseen += [text, text + "/"]
                        continue
                    }
                    switch info.st_mode & S_IFMT {
                    case S_IFREG: result.files.append(Self.found(path: text, root: base, info))
                    case S_IFDIR: pending.append(path)  // a folder named *.root on a file system without d_type
                    default: break
                    }
                case .unknown:
                    // No d_type from this file system (some FUSE and NFS mounts): only a folder matters here.
                    var info = stat()
                    if lstat(path.nulTerminated, &info) != 0 {
                        result.problems.append("\(EscapedText.of(path)): \(Self.lastError())")
                        let text = String(decoding: path, as: UTF8.self)
                        result.unseen += [text, text + "/"]
                    } else if info.st_mode & S_IFMT == S_IFDIR {
                        pending.append(path)
                    }
                case .regular, .other:
                    break
                }
            }
        }
        result.files.sort { $0.path < $1.path }
        return result
    }

    /// One file, as a walk of `root` would have found it; throws when it cannot be stat'ed or is no regular file.
    public static func found(path: String, root: String) throws -> Found {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw StorageFileUnavailable(path: path, reason: lastError()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw StorageFileUnavailable(path: path, reason: "not a regular file") }
        return found(path: path, root: normalized(root), info)
    }

    private static func found(path: String, root: String, _ info: stat) -> Found {
        Found(path: path, root: root, relativePath: relative(path, to: root), size: Int64(info.st_size),
              mtime: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
              ctime: Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9)
    }

    /// `path` below `root`, counted in bytes (a name may start with a combining mark, which `dropFirst` of
    /// characters would merge with the slash before it); the whole path when it is not below `root`.
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root == "/" ? Array(root.utf8) : Array(root.utf8) + [UInt8(ascii: "/")]
        guard path.utf8.starts(with: prefix) else { return path }
        return String(decoding: path.utf8.dropFirst(prefix.count), as: UTF8.self)
    }

    /// `folder/name`, and `/name` below the root `/`.
    private static func joined(_ folder: [UInt8], _ name: [UInt8]) -> [UInt8] {
        folder == [UInt8(ascii: "/")] ? folder + name : folder + [UInt8(ascii: "/")] + name
    }

    /// `root` without trailing slashes (but `/` itself).
    static func normalized(_ root: String) -> String {
        var base = root
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base
    }

    enum EntryType { case directory, regular, unknown, other }

    struct Listing {
        var entries: [(name: [UInt8], type: EntryType)] = []
        /// Why the folder could not be (wholly) listed.
        var failure: String?
        /// The folder was already walked under another path.
        var seenBefore = false
    }

    /// The entries of `folder` in name order (names as the kernel gives their bytes), none for a folder already
    /// visited through another path (a bind mount). A folder whose name is not valid UTF-8 is not entered: the
    /// catalog could not name its files faithfully either, so it is one problem, not one per file.
    private static func list(_ folder: [UInt8], visited: inout Set<[UInt64]>, followLink: Bool) -> Listing {
        var listing = Listing()
        let path = folder.nulTerminated
        guard String(validating: folder, as: UTF8.self) != nil else {
            listing.failure = "folder name is not valid UTF-8, its files are not indexed"
            return listing
        }
        var info = stat()
        guard (followLink ? stat(path, &info) : lstat(path, &info)) == 0 else {
            listing.failure = lastError()
            return listing
        }
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
            listing.seenBefore = true
            return listing
        }
        guard let directory = opendir(path) else {
            listing.failure = lastError()
            return listing
        }
        defer { closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { listing.failure = "listing stopped: \(lastError())" }
                listing.entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
                return listing
            }
            let name = entryName(entry)
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            let type: EntryType = switch Int32(entryType(entry)) {
            case Int32(DT_DIR): .directory
            case Int32(DT_REG): .regular
            case Int32(DT_UNKNOWN): .unknown
            default: .other
            }
            listing.entries.append((name, type))
        }
    }

    /// The entry's name, read in place. A `dirent` owns only `d_reclen` bytes of the kernel's buffer, not the
    /// 256 that `d_name` is declared with: copying the struct (or its `d_name` tuple) read past the buffer's end
    /// and crashed the walk of large trees. Its type is read in place too, for the same reason.
    static func entryName(_ entry: UnsafePointer<dirent>) -> [UInt8] {
        let start = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
        return Array(UnsafeRawBufferPointer(start: start, count: strlen(start)))
    }

    private static func entryType(_ entry: UnsafePointer<dirent>) -> UInt8 {
        UnsafeRawPointer(entry).load(fromByteOffset: typeOffset, as: UInt8.self)
    }

    /// Where `d_name` and `d_type` sit in a `dirent` (a stored member always has an offset; glibc's are 19 and 18).
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
    private static let typeOffset = MemoryLayout<dirent>.offset(of: \dirent.d_type) ?? 18

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// A storage root that cannot be listed (missing, unmounted, unreadable, not a folder): the indexing fails and
/// changes nothing under it.
public struct StorageRootUnreadable: Error, CustomStringConvertible {
    public let root: String
    public let reason: String

    public var description: String { "storage root \(root) cannot be listed: \(reason); nothing under it was changed" }
}

/// A catalogued file that is no longer there to read.
public struct StorageFileUnavailable: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(EscapedText.forTerminal(path)): \(reason)" }
}

extension Array where Element == UInt8 {
    /// The bytes with a NUL after them, for the C calls that take a path.
    var nulTerminated: [CChar] { map { CChar(bitPattern: $0) } + [0] }
}
