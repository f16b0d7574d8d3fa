import PostgresNIO

/// The binary forms of the types the catalog's tables hold, read as values: for plain rows' cells and for the
/// elements of packed columns alike. (postgres-nio's generic decoding cost more than the rest of reading a row.)
enum PostgresBinaryValue {
    /// Nil for a type or length this does not read; callers fall back or refuse.
    static func value(_ type: PostgresDataType, _ bytes: UnsafeRawBufferPointer) -> SQLValue? {
        switch (type, bytes.count) {
        case (.int8, 8): .int(Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)))
        case (.int4, 4): .int(Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self))))
        case (.int2, 2): .int(Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self))))
        case (.float8, 8): .double(Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))))
        case (.float4, 4): .double(Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)))))
        case (.bool, 1): .int(bytes.load(as: UInt8.self) == 0 ? 0 : 1)
        case (.bytea, _): .blob(Array(bytes))
        case (.text, _), (.varchar, _): .text(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }
}
