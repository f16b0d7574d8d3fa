import Testing
@testable import ROOTIO

@Suite struct CursorTests {
    func cursor(_ bytes: [UInt8], refOrigin: Int = 0) -> Cursor { Chunk(bytes: bytes, offset: 500).cursor(refOrigin: refOrigin) }

    @Test func readsBigEndianNumbers() throws {
        var c = cursor([0x00, 0x01, 0xFF, 0xFE, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x40, 0x49, 0x0F, 0xDB])
        #expect(try c.u16() == 1)
        #expect(try c.i16() == -2)
        #expect(try c.f64() == 1.0)
        #expect(try c.f32() == Float(bitPattern: 0x4049_0FDB))
        #expect(c.isAtEnd)
    }

    @Test func runningOffTheEndThrowsWithTheOffset() throws {
        var c = cursor([1, 2, 3])
        _ = try c.u16()
        let error = try #require(throws: ROOTError.self) { try c.u32() }
        #expect(error.code == .truncated)
        #expect(error.offset == 502)
    }

    @Test func readsShortAndLongStrings() throws {
        let long = String(repeating: "x", count: 300)
        var c = cursor([3] + Array("abc".utf8) + [255, 0, 0, 1, 44] + Array(long.utf8))
        #expect(try c.string() == "abc")
        #expect(try c.string() == long)
        var short = cursor([10, 65, 66])
        #expect(throws: ROOTError.self) { try short.string() }
    }

    @Test func refusesCountsLargerThanTheBytesLeft() throws {
        var c = cursor([0x00, 0x10, 0x00, 0x00, 1, 2, 3, 4])
        let error = try #require(throws: ROOTError.self) { try c.count(elementSize: 8, what: "fN") }
        #expect(error.code == .truncated)
        var negative = cursor([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: ROOTError.self) { try negative.count(elementSize: 1, what: "fN") }
    }

    @Test func checksByteCountsOfVersionedObjects() throws {
        // byte count 6: version 3 then 4 bytes of members
        var c = cursor([0x40, 0, 0, 6, 0, 3, 0, 0, 0, 7])
        let header = try c.versionHeader("TThing")
        #expect(header.version == 3)
        #expect(header.end == 10)
        _ = try c.u16()
        let error = try #require(throws: ROOTError.self) { try c.expectEnd(of: header, "TThing") }
        #expect(error.code == .mismatch)
        try c.skipToEnd(of: header, "TThing")
        #expect(c.isAtEnd)
        var tooLong = cursor([0x40, 0, 0, 60, 0, 3])
        #expect(throws: ROOTError.self) { try tooLong.versionHeader("TThing") }
        var memberWise = cursor([0x40, 0, 0, 2, 0x40, 3])
        let refused = try #require(throws: ROOTError.self) { try memberWise.versionHeader("TAxis") }
        #expect(refused.code == .unsupported)
    }

    @Test func resolvesClassTagsLikeTBufferFile() throws {
        // new class "TObjString" at buffer position 10 + 4 (after the byte count) → tag 0x80000000 | (14 + 2)
        var bytes: [UInt8] = [0x40, 0, 0, 15, 0xFF, 0xFF, 0xFF, 0xFF] + Array("TObjString".utf8) + [0]
        bytes += [0x40, 0, 0, 4, 0x80, 0, 0, 16]
        bytes += [0, 0, 0, 0]
        bytes += [0x40, 0, 0, 4, 0x80, 0, 0, 99]
        var c = cursor(bytes, refOrigin: 10)
        guard case .object(let first, let end) = try c.objectTag() else { Issue.record("expected an object"); return }
        #expect(first == "TObjString")
        #expect(end == 19)
        guard case .object(let second, _) = try c.objectTag() else { Issue.record("expected an object"); return }
        #expect(second == "TObjString")
        guard case .null = try c.objectTag() else { Issue.record("expected null"); return }
        let error = try #require(throws: ROOTError.self) { try c.objectTag() }
        #expect(error.code == .malformed)
    }
}
