import CCompression
import Foundation

/// A ZIP archive written front to back, never seeking, so that it can go straight into an HTTP response: entries
/// stored (no compression: float bins barely shrink, and NumPy maps stored entries), each followed by a data
/// descriptor with its CRC-32 and size, then the central directory. Entries or offsets past 4 GiB, and more than
/// 65,535 entries, use the ZIP64 records. Written by hand: ZIPFoundation, the maintained Swift ZIP package, builds
/// archives in a seekable file or in memory, which neither a stream nor bounded memory allows.
///
/// Layout (PKWARE APPNOTE.TXT 6.3.10): §4.3.7 local file header, §4.3.9 data descriptor, §4.3.12 central directory
/// header, §4.5.3 ZIP64 extended information, §4.3.14–16 ZIP64 end of central directory record and locator, end
/// of central directory record.
struct ZipStream {
    /// Bytes written and not yet handed on (then `clearPending()`).
    private(set) var pending: [UInt8] = []
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    private var current: Entry?
    /// Sizes and offsets from this on need ZIP64 records (lower in tests, so that small archives exercise them).
    private let zip64Limit: UInt64
    private let time: UInt16
    private let date: UInt16

    private struct Entry {
        let name: [UInt8]
        let headerOffset: UInt64
        let zip64: Bool
        var crc: UInt32 = 0
        var size: UInt64 = 0
    }

    init(modified: Date = Date(), zip64Limit: UInt64 = 0xFFFF_FFFF) {
        self.zip64Limit = zip64Limit
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        // MS-DOS date and time: years from 1980, seconds halved.
        date = UInt16(max(0, (parts.year ?? 1980) - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
    }

    /// Starts entry `name`, which will hold about `expectedSize` bytes (ZIP64 records when that is past the limit).
    mutating func begin(_ name: String, expectedSize: UInt64) {
        let zip64 = expectedSize >= zip64Limit || offset >= zip64Limit
        let entry = Entry(name: Array(name.utf8), headerOffset: offset, zip64: zip64)
        put32(0x0403_4B50)
        put16(zip64 ? 45 : 20)
        put16(Self.flags)
        put16(0)  // stored
        put16(time)
        put16(date)
        put32(0)  // CRC-32 and sizes follow in the data descriptor
        put32(zip64 ? 0xFFFF_FFFF : 0)
        put32(zip64 ? 0xFFFF_FFFF : 0)
        put16(UInt16(entry.name.count))
        put16(zip64 ? 20 : 0)
        put(entry.name)
        if zip64 {
            put16(1)
            put16(16)
            put64(0)
            put64(0)
        }
        current = entry
    }

    /// Appends bytes to the current entry.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard var entry = current, let base = bytes.baseAddress else { return }
        entry.crc = UInt32(crc32(UInt(entry.crc), base.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
        entry.size += UInt64(bytes.count)
        current = entry
        pending.append(contentsOf: bytes)
        offset += UInt64(bytes.count)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Ends the current entry with its data descriptor.
    mutating func end() {
        guard let entry = current else { return }
        put32(0x0807_4B50)
        put32(entry.crc)
        if entry.zip64 {
            put64(entry.size)
            put64(entry.size)
        } else {
            put32(UInt32(entry.size))
            put32(UInt32(entry.size))
        }
        entries.append(entry)
        current = nil
    }

    /// Writes the central directory and the end records; the archive is complete.
    mutating func finish() {
        let directoryOffset = offset
        for entry in entries {
            let bigSize = entry.zip64 || entry.size >= zip64Limit
            let bigOffset = entry.headerOffset >= zip64Limit
            var extra: [UInt64] = []
            if bigSize { extra += [entry.size, entry.size] }
            if bigOffset { extra.append(entry.headerOffset) }
            put32(0x0201_4B50)
            put16(3 << 8 | 45)  // made by: Unix, ZIP 4.5
            put16(extra.isEmpty ? 20 : 45)
            put16(Self.flags)
            put16(0)
            put16(time)
            put16(date)
            put32(entry.crc)
            put32(bigSize ? 0xFFFF_FFFF : UInt32(entry.size))
            put32(bigSize ? 0xFFFF_FFFF : UInt32(entry.size))
            put16(UInt16(entry.name.count))
            put16(extra.isEmpty ? 0 : UInt16(4 + 8 * extra.count))
            put16(0)  // comment
            put16(0)  // disk
            put16(0)  // internal attributes
            put32(0o100644 << 16)  // a regular file, rw-r--r--
            put32(bigOffset ? 0xFFFF_FFFF : UInt32(entry.headerOffset))
            put(entry.name)
            if !extra.isEmpty {
                put16(1)
                put16(UInt16(8 * extra.count))
                for value in extra { put64(value) }
            }
        }
        let directorySize = offset - directoryOffset
        let count = UInt64(entries.count)
        let needsZip64 = count >= 0xFFFF || directoryOffset >= zip64Limit || directorySize >= zip64Limit
            || entries.contains { $0.zip64 }
        if needsZip64 {
            let recordOffset = offset
            put32(0x0606_4B50)
            put64(44)  // the record's size after this field
            put16(3 << 8 | 45)
            put16(45)
            put32(0)
            put32(0)
            put64(count)
            put64(count)
            put64(directorySize)
            put64(directoryOffset)
            put32(0x0706_4B50)
            put32(0)
            put64(recordOffset)
            put32(1)
        }
        put32(0x0605_4B50)
        put16(0)
        put16(0)
        put16(needsZip64 ? 0xFFFF : UInt16(count))
        put16(needsZip64 ? 0xFFFF : UInt16(count))
        put32(needsZip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        put32(needsZip64 ? 0xFFFF_FFFF : UInt32(directoryOffset))
        put16(0)
    }

    /// Forgets the pending bytes (handed on meanwhile), keeping the buffer for the next ones.
    mutating func clearPending() {
        pending.removeAll(keepingCapacity: true)
    }

    /// Sizes in the data descriptor (bit 3); names in UTF-8 (bit 11).
    private static let flags: UInt16 = 1 << 3 | 1 << 11

    private mutating func put(_ bytes: [UInt8]) {
        pending += bytes
        offset += UInt64(bytes.count)
    }

    private mutating func put16(_ value: UInt16) { put([UInt8(value & 0xFF), UInt8(value >> 8)]) }
    private mutating func put32(_ value: UInt32) { put((0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
    private mutating func put64(_ value: UInt64) { put((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
}
