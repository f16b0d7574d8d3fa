/// Bytes together with where they came from, so that every read can name where it failed. (uproot
/// `source/chunk.py`.) Raw file bytes know their absolute offset; decompressed bytes know the file offset of the
/// compressed record they were inflated from.
public struct Chunk: Sendable {
    public let bytes: [UInt8]
    /// Absolute file offset of `bytes[0]`, or of the compressed record when `decompressed`.
    public let offset: Int64
    public let decompressed: Bool

    public init(bytes: [UInt8], offset: Int64, decompressed: Bool = false) {
        self.bytes = bytes
        self.offset = offset
        self.decompressed = decompressed
    }

    public var count: Int { bytes.count }

    /// A cursor at `index`. `refOrigin` is the position ROOT's own buffer had for `bytes[0]` when it wrote them
    /// (the key length, since ROOT's buffers start with the key): back-references are positions in that buffer.
    public func cursor(at index: Int = 0, refOrigin: Int = 0) -> Cursor {
        Cursor(chunk: self, index: index, refOrigin: refOrigin)
    }

    /// A description of where `index` lies, for error messages.
    func location(_ index: Int) -> (offset: Int64, note: String) {
        decompressed ? (offset, " (byte \(index) of the record inflated from there)") : (offset + Int64(index), "")
    }
}
