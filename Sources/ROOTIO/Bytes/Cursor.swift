/// A position in a `Chunk`, advanced by big-endian reads that are all bounds-checked: running off the end throws
/// `truncated` with the offset instead of trapping. (uproot `source/cursor.py`; groot `rbytes/rbuffer.go`.)
///
/// It also carries the table ROOT's object streaming uses for back-references (`TBufferFile::ReadObjectAny`):
/// a class name is written once per buffer, later occurrences point back at its position.
public struct Cursor {
    public let chunk: Chunk
    public internal(set) var index: Int
    let refOrigin: Int
    var classTags: [Int: String] = [:]

    init(chunk: Chunk, index: Int, refOrigin: Int) {
        self.chunk = chunk
        self.index = index
        self.refOrigin = refOrigin
    }

    public var remaining: Int { chunk.count - index }
    public var isAtEnd: Bool { index >= chunk.count }

    public func error(_ code: ROOTError.Code, _ message: String, at position: Int? = nil) -> ROOTError {
        let where_ = chunk.location(position ?? index)
        return ROOTError(code, message + where_.note, offset: where_.offset)
    }

    @inline(__always)
    mutating func need(_ count: Int) throws {
        guard count >= 0, count <= chunk.count - index else {
            throw error(.truncated, "wanted \(count) bytes, \(max(0, chunk.count - index)) left")
        }
    }

    public mutating func seek(to position: Int) throws {
        guard position >= 0, position <= chunk.count else {
            throw error(.malformed, "position \(position) lies outside the \(chunk.count)-byte record")
        }
        index = position
    }

    public mutating func skip(_ count: Int) throws {
        try need(count)
        index += count
    }

    // MARK: scalars (big-endian, as TBufferFile writes them)

    @inline(__always)
    mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try need(size)
        let value = chunk.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index, as: T.self) }
        index += size
        return T(bigEndian: value)
    }

    public mutating func u8() throws -> UInt8 { try readBigEndian(UInt8.self) }
    public mutating func i16() throws -> Int16 { try readBigEndian(Int16.self) }
    public mutating func u16() throws -> UInt16 { try readBigEndian(UInt16.self) }
    public mutating func i32() throws -> Int32 { try readBigEndian(Int32.self) }
    public mutating func u32() throws -> UInt32 { try readBigEndian(UInt32.self) }
    public mutating func i64() throws -> Int64 { try readBigEndian(Int64.self) }
    public mutating func u64() throws -> UInt64 { try readBigEndian(UInt64.self) }
    public mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
    public mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    public mutating func bool() throws -> Bool { try u8() != 0 }

    /// A count that must be usable as an array length: non-negative and not larger than the bytes left
    /// allow (`elementSize` bytes each), so a corrupt count fails here instead of allocating gigabytes.
    public mutating func count(elementSize: Int, what: String) throws -> Int {
        let start = index
        let value = Int(try i32())
        guard value >= 0 else { throw error(.malformed, "negative \(what) \(value)", at: start) }
        guard elementSize == 0 || value <= remaining / elementSize else {
            throw error(.truncated, "\(what) \(value) needs \(value * elementSize) bytes, \(remaining) left", at: start)
        }
        return value
    }

    public mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
        try need(count)
        defer { index += count }
        return chunk.bytes[index..<(index + count)]
    }

    // MARK: strings

    /// TString / std::string on disk: one length byte, or 255 then a 4-byte length; then the characters.
    public mutating func string() throws -> String {
        String(decoding: try bytes(try stringLength()), as: UTF8.self)
    }

    /// Moves past a TString without making it: for members the reader does not keep (titles, options), which
    /// would otherwise cost a String each, several per histogram.
    public mutating func skipString() throws {
        try skip(try stringLength())
    }

    private mutating func stringLength() throws -> Int {
        var length = Int(try u8())
        if length == 255 { length = Int(try i32()) }
        guard length >= 0 else { throw error(.malformed, "negative string length \(length)") }
        return length
    }

    /// A zero-terminated string (class names after `kNewClassTag`).
    public mutating func cString() throws -> String {
        let start = index
        guard let end = chunk.bytes[index...].firstIndex(of: 0) else {
            throw error(.truncated, "unterminated class name", at: start)
        }
        index = end + 1
        return String(decoding: chunk.bytes[start..<end], as: UTF8.self)
    }

    // MARK: arrays

    /// `count` big-endian values of `Raw`, each turned into an element by `convert`, in one pass.
    @inline(__always)
    mutating func readArray<Raw: FixedWidthInteger, Element>(_: Raw.Type, _ count: Int, _ convert: (Raw) -> Element) throws -> [Element] {
        let size = MemoryLayout<Raw>.size
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard count >= 0, !overflow else { throw error(.malformed, "impossible array length \(count)") }
        try need(total)
        let start = index
        index += total
        return chunk.bytes.withUnsafeBytes { raw in
            [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = convert(Raw(bigEndian: raw.loadUnaligned(fromByteOffset: start + i * size, as: Raw.self)))
                }
                initialized = count
            }
        }
    }

    public mutating func i16Array(_ count: Int) throws -> [Int16] { try readArray(Int16.self, count) { $0 } }
    public mutating func i32Array(_ count: Int) throws -> [Int32] { try readArray(Int32.self, count) { $0 } }
    public mutating func i64Array(_ count: Int) throws -> [Int64] { try readArray(Int64.self, count) { $0 } }
    public mutating func f32Array(_ count: Int) throws -> [Float] { try readArray(UInt32.self, count, Float.init(bitPattern:)) }
    public mutating func f64Array(_ count: Int) throws -> [Double] { try readArray(UInt64.self, count, Double.init(bitPattern:)) }
}
