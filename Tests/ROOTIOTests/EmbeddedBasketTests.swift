import Testing
@testable import ROOTIO

/// A basket kept inside its branch's record (`fBaskets`), as ROOT stores one that was still in memory when the tree
/// was written: its TKey and TBasket members, the entry offsets, then the key and entry bytes (TBasket::Streamer).
@Suite struct EmbeddedBasketTests {
    static func embedded(values: [UInt32], corruptOffsets: Bool = false, capacity: Int32 = 4) -> [UInt8] {
        var out: [UInt8] = []
        func i16(_ v: Int16) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
        func i32(_ v: Int32) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
        func string(_ s: String) { out.append(UInt8(s.utf8.count)); out += Array(s.utf8) }
        let names = ["TBasket", "Run", "Indices"].reduce(0) { $0 + $1.utf8.count }
        let keyLength = Int32(18 + 8 + 3 + names)
        let dataLength = Int32(4 * values.count)
        // TKey members (4-byte seeks)
        i32(keyLength + dataLength); i16(4); i32(dataLength); i32(0); i16(Int16(keyLength)); i16(1); i32(0); i32(100)
        string("TBasket"); string("Run"); string("Indices")
        // TBasket members: version, fBufferSize, fNevBufSize (negative: an fIOBits byte follows), fNevBuf, fLast,
        // flag (1: offsets and data follow)
        i16(3); i32(32000); i32(capacity)
        if capacity < 0 { out.append(0) }
        i32(Int32(values.count)); i32(keyLength + dataLength); out.append(1)
        // fEntryOffset: count, then offsets from the start of the key
        i32(Int32(values.count + 1))
        for index in 0...values.count { i32(corruptOffsets && index == 1 ? 9999 : keyLength + Int32(4 * index)) }
        // fLast bytes: the key again (not read), then the entries
        out += [UInt8](repeating: 0, count: Int(keyLength))
        for value in values { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        return out
    }

    @Test func readsEntriesOfAnEmbeddedBasket() throws {
        var cursor = Chunk(bytes: Self.embedded(values: [380001, 380002, 380008]), offset: 0).cursor()
        let basket = try Basket.readEmbedded(&cursor).withFirstEntry(10)
        #expect(cursor.isAtEnd)
        #expect(basket.entryRange == 10..<13)
        var values: [UInt32] = []
        for entry in basket.entryRange {
            var (entryCursor, end) = try basket.cursor(forEntry: entry)
            values.append(try entryCursor.u32())
            #expect(entryCursor.index == end)
        }
        #expect(values == [380001, 380002, 380008])
        #expect(throws: ROOTError.self) { try basket.cursor(forEntry: 13) }
    }

    /// fNevBufSize is only a capacity hint, but its sign says whether an fIOBits byte follows: any negative value,
    /// even one that cannot be negated, reads as that.
    @Test(arguments: [Int32(-4), Int32.min])
    func readsABasketWithIOBits(_ capacity: Int32) throws {
        var cursor = Chunk(bytes: Self.embedded(values: [7, 8], capacity: capacity), offset: 0).cursor()
        let basket = try Basket.readEmbedded(&cursor).withFirstEntry(0)
        #expect(cursor.isAtEnd)
        var (entryCursor, _) = try basket.cursor(forEntry: 1)
        #expect(try entryCursor.u32() == 8)
    }

    @Test func refusesOffsetsOutsideTheBasket() throws {
        var cursor = Chunk(bytes: Self.embedded(values: [1, 2, 3], corruptOffsets: true), offset: 0).cursor()
        #expect(throws: ROOTError.self) { try Basket.readEmbedded(&cursor) }
    }
}
