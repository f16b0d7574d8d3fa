/// The TFile header at byte 0 (io/io/src/TFile.cxx, `TFile::Init` and `WriteHeader`):
///
/// | field        | small file | large file (fVersion ≥ 1000000) |
/// |--------------|------------|---------------------------------|
/// | "root"       | 4          | 4                               |
/// | fVersion     | 4          | 4                               |
/// | fBEGIN       | 4          | 4                               |
/// | fEND         | 4          | 8                               |
/// | fSeekFree    | 4          | 8                               |
/// | fNbytesFree  | 4          | 4                               |
/// | nfree        | 4          | 4                               |
/// | fNbytesName  | 4          | 4                               |
/// | fUnits       | 1          | 1                               |
/// | fCompress    | 4          | 4                               |
/// | fSeekInfo    | 4          | 8                               |
/// | fNbytesInfo  | 4          | 4                               |
public struct FileHeader: Sendable {
    public let version: Int32
    public let begin: Int64
    public let end: Int64
    public let seekFree: Int64
    public let nbytesFree: Int32
    public let nbytesName: Int32
    public let units: UInt8
    public let compression: Int32
    public let seekInfo: Int64
    public let nbytesInfo: Int32

    static let largeFileVersion: Int32 = 1_000_000
    static let maximumSize = 64 + 4

    /// ROOT release that wrote the file, e.g. 64000 → "6.40/00".
    public var rootVersion: String {
        let plain = version % Self.largeFileVersion
        let minor = (plain / 100) % 100
        return "\(plain / 10000).\(minor < 10 ? "0" : "")\(minor)/\(String(format2: plain % 100))"
    }

    init(_ chunk: Chunk, fileSize: Int64) throws {
        var cursor = chunk.cursor()
        guard chunk.count >= 4, Array(chunk.bytes[0..<4]) == Array("root".utf8) else {
            throw ROOTError(.malformed, "not a ROOT file (no \"root\" magic at byte 0)", offset: 0)
        }
        try cursor.skip(4)
        version = try cursor.i32()
        begin = Int64(try cursor.i32())
        let large = version >= Self.largeFileVersion
        end = large ? try cursor.i64() : Int64(try cursor.i32())
        seekFree = large ? try cursor.i64() : Int64(try cursor.i32())
        nbytesFree = try cursor.i32()
        _ = try cursor.i32()  // nfree
        nbytesName = try cursor.i32()
        units = try cursor.u8()
        compression = try cursor.i32()
        seekInfo = large ? try cursor.i64() : Int64(try cursor.i32())
        nbytesInfo = try cursor.i32()

        guard version > 0 else { throw ROOTError(.malformed, "impossible file format version \(version)", offset: 4) }
        guard units == 4 || units == 8 else { throw ROOTError(.malformed, "impossible pointer size fUnits=\(units)", offset: 4) }
        guard begin >= 0, begin < fileSize else {
            throw ROOTError(.malformed, "first record at \(begin) lies outside the \(fileSize)-byte file", offset: 8)
        }
        guard end <= fileSize else {
            throw ROOTError(.truncated, "file is \(fileSize) bytes but its header says it ends at \(end)", offset: 12)
        }
        guard seekInfo > 0, nbytesInfo > 0, seekInfo <= fileSize - Int64(nbytesInfo) else {
            throw ROOTError(.malformed, "streamer-info record \(seekInfo)+\(nbytesInfo) lies outside the \(fileSize)-byte file", offset: 8)
        }
        guard nbytesName > 0, begin + Int64(nbytesName) < fileSize else {
            throw ROOTError(.malformed, "impossible fNbytesName \(nbytesName)", offset: 8)
        }
    }
}

private extension String {
    init(format2 value: Int32) { self = value < 10 ? "0\(value)" : "\(value)" }
}
