import NIOCore
import PostgresNIO

/// A column of a page that PostgreSQL sent packed into one array (`array_agg`, binary form), read back as values.
/// postgres-nio spends ~5 µs of CPU on each row it receives (a message, a state machine step, an async sequence
/// element, then a cell per column); a page packed into one row of arrays costs it one row.
///
/// Binary array: dimension count, has-nulls flag, element type OID, then per dimension its length and lower bound,
/// then each element as a 32-bit length (-1 for NULL) and its bytes. Integers are big-endian.
enum PackedColumn {
    static func values(_ buffer: ByteBuffer) throws -> [SQLValue] {
        try buffer.withUnsafeReadableBytes { bytes in
            var reader = Reader(bytes: bytes)
            let dimensions = try reader.int32()
            guard dimensions != 0 else { return [] }  // an empty array has no dimensions
            guard dimensions == 1 else { throw CatalogError("packed column: \(dimensions)-dimensional array") }
            _ = try reader.int32()  // has NULLs
            let type = UInt32(bitPattern: try reader.int32())
            let count = try reader.int32()
            _ = try reader.int32()  // lower bound
            guard count >= 0, Int(count) <= reader.remaining / 4 else { throw CatalogError("packed column: \(count) values") }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                let length = try reader.int32()
                values.append(length == -1 ? .null : try reader.value(type: type, length: Int(length)))
            }
            guard reader.remaining == 0 else { throw CatalogError("packed column: \(reader.remaining) bytes past its values") }
            return values
        }
    }

    /// Reads through the array's bytes, checking every length against what is left.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var remaining: Int { bytes.count - offset }

        mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
            guard count >= 0, count <= remaining else { throw CatalogError("packed column: truncated") }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        }

        mutating func int32() throws -> Int32 { Int32(bigEndian: try take(4).loadUnaligned(as: Int32.self)) }

        mutating func value(type: UInt32, length: Int) throws -> SQLValue {
            let field = try take(length)
            guard let value = PostgresBinaryValue.value(PostgresDataType(type), field) else {
                throw CatalogError("packed column: a value of type OID \(type), \(length) bytes")
            }
            return value
        }
    }
}
