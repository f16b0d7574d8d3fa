/// A TBasket: a run of consecutive entries of one branch (tree/tree/src/TBasket.cxx, `TBasket::Streamer`,
/// `ReadBasketBuffers`).
///
/// On disk: a key header extended with fVersion (i16), fBufferSize, fNevBufSize (negative: an IO-bits byte
/// follows), fNevBuf, fLast (i32) and a flag byte — all within fKeylen — then the (compressed) payload. Inflated,
/// the payload is `fLast − fKeylen` bytes of entry data, then, for variable-size entries, the entry offsets as
/// an array (count, then values) measured from the start of the key. Fixed-size entries have no offsets.
public struct Basket: Sendable {
    /// The entry bytes (possibly followed by the offsets array, which no entry range reaches).
    public let data: Chunk
    public let keyLength: Int
    public let firstEntry: Int64
    /// `entryCount + 1` positions in `data`: entry i is `entryStarts[i] ..< entryStarts[i + 1]`.
    let entryStarts: [Int32]

    public var entryCount: Int { entryStarts.count - 1 }
    public var entryRange: Range<Int64> { firstEntry..<(firstEntry + Int64(entryCount)) }

    /// The bytes of entry `entry` (a number within the branch), with a cursor whose back-references resolve like
    /// ROOT's (the entry's own position in the basket buffer).
    public func cursor(forEntry entry: Int64) throws -> (cursor: Cursor, end: Int) {
        guard entryRange.contains(entry) else {
            throw ROOTError(.malformed, "entry \(entry) is not in basket entries \(entryRange)", offset: data.offset)
        }
        let local = Int(entry - firstEntry)
        let start = Int(entryStarts[local])
        return (data.cursor(at: start, refOrigin: keyLength), Int(entryStarts[local + 1]))
    }

    func withFirstEntry(_ entry: Int64) -> Basket {
        Basket(data: data, keyLength: keyLength, firstEntry: entry, entryStarts: entryStarts)
    }

    private struct Fields {
        var keyLength: Int
        var entryCount: Int
        var last: Int
        var flag: UInt8
    }

    /// The TBasket members after the TKey members.
    private static func readFields(_ cursor: inout Cursor, keyLength: Int) throws -> Fields {
        _ = try cursor.versionHeader("TBasket")
        _ = try cursor.i32()  // fBufferSize
        // fNevBufSize; ROOT writes it negated when an fIOBits byte follows (negating it here could trap).
        if try cursor.i32() < 0 {
            _ = try cursor.u8()  // fIOBits
        }
        let count = Int(try cursor.i32())
        let last = Int(try cursor.i32())
        let flag = try cursor.u8()
        guard count >= 0, last >= keyLength else {
            throw cursor.error(.malformed, "impossible basket sizes fNevBuf=\(count) fLast=\(last) fKeylen=\(keyLength)")
        }
        guard flag < 80 else {
            throw cursor.error(.unsupported, "basket with generated entry offsets (flag \(flag))")
        }
        return Fields(keyLength: keyLength, entryCount: count, last: last, flag: flag)
    }

    /// Reads and inflates the basket at `location` of a branch.
    public static func read(_ location: Branch.BasketLocation, from source: any ByteSource) throws -> Basket {
        try ROOTError.framed("basket \(location.index)") {
            let record = try source.read(at: location.seek, count: Int(location.bytes))
            var cursor = record.cursor()
            let key = try Key(from: &cursor, fileSize: source.size)
            let keyLength = Int(key.keyLength)
            let fields = try readFields(&cursor, keyLength: keyLength)
            guard Int(key.nbytes) == record.count else {
                throw ROOTError(.mismatch, "basket key says \(key.nbytes) bytes, the branch says \(record.count)", offset: location.seek)
            }
            let payload = key.isCompressed
                ? try Decompressor.inflate(record, from: keyLength, uncompressedSize: Int(key.objectLength))
                : Chunk(bytes: Array(record.bytes[keyLength...]), offset: location.seek + Int64(keyLength))
            return try assemble(payload: payload, fields: fields, firstEntry: location.firstEntry, offsetsInline: true)
        }
    }

    /// Reads a basket stored inside its branch's record (`fBaskets`, written when the tree was saved with this
    /// basket still in memory). Its members are followed by the offsets array, then the key and data bytes.
    static func readEmbedded(_ cursor: inout Cursor) throws -> Basket {
        let start = cursor.index
        let key = try Key(from: &cursor, fileSize: .max)
        let keyLength = Int(key.keyLength)
        let fields = try readFields(&cursor, keyLength: keyLength)
        var offsets: [Int32]?
        if fields.flag != 0 && fields.flag % 10 != 2 {
            if fields.entryCount > 0 {
                let count = try cursor.count(elementSize: 4, what: "entry offset count")
                offsets = try cursor.i32Array(count)
            }
            if fields.flag > 40 {
                let count = try cursor.count(elementSize: 4, what: "displacement count")
                try cursor.skip(count * 4)
            }
        }
        guard fields.flag == 1 || fields.flag > 10 else {
            throw cursor.error(.malformed, "embedded basket without data (flag \(fields.flag))", at: start)
        }
        let whole = try cursor.bytes(fields.last)
        let data = Chunk(bytes: Array(whole.dropFirst(keyLength)), offset: cursor.chunk.location(start).offset,
                         decompressed: cursor.chunk.decompressed)
        var withOffsets = fields
        withOffsets.flag = 0
        return try assemble(payload: data, fields: withOffsets, firstEntry: 0, offsetsInline: false, offsets: offsets)
    }

    /// Splits the payload into entry data and entry boundaries, checking every offset.
    private static func assemble(payload: Chunk, fields: Fields, firstEntry: Int64, offsetsInline: Bool,
                                 offsets given: [Int32]? = nil) throws -> Basket {
        let border = fields.last - fields.keyLength
        guard border <= payload.count else {
            throw ROOTError(.truncated, "basket data is \(payload.count) bytes, fLast says \(border)", offset: payload.offset)
        }
        var rawOffsets = given
        if offsetsInline && payload.count > border {
            var cursor = payload.cursor(at: border)
            let count = try cursor.count(elementSize: 4, what: "entry offset count")
            rawOffsets = try cursor.i32Array(count)
        }
        var starts: [Int32] = []
        if let rawOffsets {
            guard rawOffsets.count >= fields.entryCount else {
                throw ROOTError(.malformed, "\(rawOffsets.count) entry offsets for \(fields.entryCount) entries", offset: payload.offset)
            }
            starts.reserveCapacity(fields.entryCount + 1)  // only now: fNevBuf is bounded by offsets really read
            for i in 0..<fields.entryCount {
                let start = Int(rawOffsets[i]) - fields.keyLength
                guard start >= 0, start <= border, start >= Int(starts.last ?? 0) else {
                    throw ROOTError(.malformed, "entry \(i) offset \(rawOffsets[i]) outside the basket data (fKeylen \(fields.keyLength), fLast \(fields.last))", offset: payload.offset)
                }
                starts.append(Int32(start))
            }
        } else if fields.entryCount > 0 {
            guard fields.entryCount <= border, border % fields.entryCount == 0 else {
                throw ROOTError(.malformed, "\(border) bytes do not split into \(fields.entryCount) equal entries", offset: payload.offset)
            }
            let size = border / fields.entryCount
            for i in 0..<fields.entryCount { starts.append(Int32(i * size)) }
        }
        starts.append(Int32(border))
        return Basket(data: payload, keyLength: fields.keyLength, firstEntry: firstEntry, entryStarts: starts)
    }
}
