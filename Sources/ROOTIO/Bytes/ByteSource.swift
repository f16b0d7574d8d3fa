#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random-access reads of a file's bytes. Reads are positional (`pread`), so one source serves many threads
/// and memory holds only what was asked for — never the whole file. (uproot `source/file.py`; groot `riofs`.)
public protocol ByteSource: Sendable {
    var size: Int64 { get }
    func read(at offset: Int64, count: Int) throws -> Chunk
}

/// A local (or FUSE-mounted, e.g. EOS) file opened read-only.
public final class FileByteSource: ByteSource {
    public let path: String
    public let size: Int64
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ROOTError(.io, "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ROOTError(.io, "cannot stat: \(message)", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ROOTError(.io, "not a regular file", path: path)
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    public func read(at offset: Int64, count: Int) throws -> Chunk {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ROOTError(.truncated, "wanted \(count) bytes but the file has \(size) bytes", offset: offset)
        }
        var done = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            defer { initialized = done }
            guard let base = buffer.baseAddress else { return }  // count == 0
            while done < count {
                let got = pread(descriptor, base + done, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ROOTError(.io, "read failed: \(String(cString: strerror(errno)))", offset: offset + Int64(done))
                }
                if got == 0 {
                    throw ROOTError(.truncated, "file ended while reading \(count) bytes", offset: offset + Int64(done))
                }
                done += got
            }
        }
        return Chunk(bytes: bytes, offset: offset)
    }
}

/// Bytes already in memory (tests, the fuzzer).
public struct MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public var size: Int64 { Int64(bytes.count) }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(at offset: Int64, count: Int) throws -> Chunk {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ROOTError(.truncated, "wanted \(count) bytes but the file has \(size) bytes", offset: offset)
        }
        let start = Int(offset)
        return Chunk(bytes: Array(bytes[start..<(start + count)]), offset: offset)
    }
}
