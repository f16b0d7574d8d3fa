#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Walks storage roots for regular `*.root` files, without following symbolic links (so no loops, and mounts
/// only entered once), reporting unreadable folders and going on. Read-only mounts are fine: nothing is written.
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
        /// Folders that could not be listed, with the reason.
        public var problems: [String] = []
    }

    public init() {}

    /// Walks `root`. A walk of a large mount can take minutes before any file is read: `heartbeat` hears it is
    /// still going at most every `heartbeatInterval` (the job's watchdog counts that as progress), and a cancelled
    /// task stops it at the next folder.
    public func scan(root: String, heartbeatInterval: Duration = .seconds(1),
                     heartbeat: () async throws -> Void = {}) async throws -> Result {
        var result = Result()
        let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        var visited = Set<[UInt64]>()
        var pending = [base]
        let clock = ContinuousClock()
        var lastHeartbeat = clock.now
        while let folder = pending.popLast() {
            try Task.checkCancellation()
            if clock.now - lastHeartbeat >= heartbeatInterval {
                try await heartbeat()
                lastHeartbeat = clock.now
            }
            var info = stat()
            guard lstat(folder, &info) == 0 else {
                result.problems.append("\(folder): \(String(cString: strerror(errno)))")
                continue
            }
            guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { continue }
            guard let directory = opendir(folder) else {
                result.problems.append("\(folder): \(String(cString: strerror(errno)))")
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = folder + "/" + name
                var entryInfo = stat()
                guard lstat(path, &entryInfo) == 0 else { continue }
                let type = entryInfo.st_mode & S_IFMT
                if type == S_IFDIR {
                    pending.append(path)
                } else if type == S_IFREG && name.hasSuffix(".root") {
                    result.files.append(Found(
                        path: path, root: base, relativePath: String(path.dropFirst(base.count + 1)), size: Int64(entryInfo.st_size),
                        mtime: Double(entryInfo.st_mtim.tv_sec) + Double(entryInfo.st_mtim.tv_nsec) / 1e9,
                        ctime: Double(entryInfo.st_ctim.tv_sec) + Double(entryInfo.st_ctim.tv_nsec) / 1e9))
                }
            }
        }
        result.files.sort { $0.path < $1.path }
        return result
    }
}
