/// A TKey: the header in front of every record (io/io/src/TKey.cxx, `TKey::Streamer`).
///
/// | field     | bytes | note                                                          |
/// |-----------|-------|---------------------------------------------------------------|
/// | fNbytes   | 4     | whole record on disk: header + (compressed) object            |
/// | fVersion  | 2     | > 1000 means 8-byte seeks                                      |
/// | fObjlen   | 4     | object size once inflated                                     |
/// | fDatime   | 4     | packed date                                                   |
/// | fKeylen   | 2     | header size                                                   |
/// | fCycle    | 2     |                                                               |
/// | fSeekKey  | 4/8   | where this header starts                                      |
/// | fSeekPdir | 4/8   | parent directory                                              |
/// | class, name, title | TString ×3 |                                                |
public struct Key: Sendable {
    public let nbytes: Int32
    public let version: Int16
    public let objectLength: Int32
    public let keyLength: Int16
    public let cycle: Int16
    public let seekKey: Int64
    public let seekParentDirectory: Int64
    public let className: String
    public let name: String
    public let title: String
    /// Where the header was read (normally equal to `seekKey`).
    public let position: Int64

    static let fixedPrefix = 18
    static let maximumObjectLength = 1 << 30  // TBufferFile::kMaxBufferSize is just under 2 GiB; DQMIO records are far smaller.

    public var isCompressed: Bool { Int(objectLength) != Int(nbytes) - Int(keyLength) }

    /// Reads the key header starting at `cursor`. `fileSize` bounds the record it describes.
    init(from cursor: inout Cursor, fileSize: Int64) throws {
        let start = cursor.chunk.location(cursor.index).offset
        nbytes = try cursor.i32()
        version = try cursor.i16()
        objectLength = try cursor.i32()
        _ = try cursor.u32()  // fDatime
        keyLength = try cursor.i16()
        cycle = try cursor.i16()
        if version > 1000 {
            seekKey = try cursor.i64()
            seekParentDirectory = try cursor.i64()
        } else {
            seekKey = Int64(try cursor.i32())
            seekParentDirectory = Int64(try cursor.i32())
        }
        className = try cursor.string()
        name = try cursor.string()
        title = try cursor.string()
        position = start
        try validate(fileSize: fileSize, at: start)
    }

    private func validate(fileSize: Int64, at start: Int64) throws {
        guard keyLength >= Int16(Self.fixedPrefix), nbytes >= Int32(keyLength) else {
            throw ROOTError(.malformed, "key \"\(name)\": impossible sizes fNbytes=\(nbytes) fKeylen=\(keyLength)", offset: start)
        }
        guard objectLength >= 0, Int(objectLength) <= Self.maximumObjectLength else {
            throw ROOTError(.malformed, "key \"\(name)\": impossible object length \(objectLength)", offset: start)
        }
        guard seekKey >= 0, seekKey <= fileSize - Int64(nbytes) else {
            throw ROOTError(.truncated, "key \"\(name)\": record \(seekKey)+\(nbytes) lies beyond the \(fileSize)-byte file", offset: start)
        }
    }

    /// Reads the header at `offset` from `source`.
    public static func read(at offset: Int64, from source: any ByteSource) throws -> Key {
        guard offset >= 0, offset < source.size else {
            throw ROOTError(.malformed, "key position \(offset) lies outside the \(source.size)-byte file", offset: offset)
        }
        let prefix = try source.read(at: offset, count: Int(min(Int64(Self.fixedPrefix), source.size - offset)))
        var probe = prefix.cursor()
        try probe.skip(14)
        let length = Int(try probe.i16())
        guard length >= Self.fixedPrefix, Int64(length) <= source.size - offset else {
            throw ROOTError(.malformed, "impossible key length \(length)", offset: offset + 14)
        }
        var cursor = try source.read(at: offset, count: length).cursor()
        return try Key(from: &cursor, fileSize: source.size)
    }

    /// The record's object bytes, inflated if needed. Cursors over them get `refOrigin = fKeylen`, since ROOT's
    /// buffer held the key header in front of the object when it wrote the back-references.
    public func payload(from source: any ByteSource) throws -> Chunk {
        let stored = Int(nbytes) - Int(keyLength)
        let raw = try source.read(at: seekKey + Int64(keyLength), count: stored)
        return try ROOTError.framed("key \(name) (\(className))") {
            isCompressed ? try Decompressor.inflate(raw, uncompressedSize: Int(objectLength)) : raw
        }
    }

    public func payloadCursor(from source: any ByteSource) throws -> Cursor {
        try payload(from: source).cursor(refOrigin: Int(keyLength))
    }
}
