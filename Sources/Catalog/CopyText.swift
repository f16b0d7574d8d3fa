import NIOCore

/// PostgreSQL's COPY text format (sql-copy.html): tab-separated, `\N` for null, backslash escapes; bytea in its
/// hex form `\x…`, whose backslash is itself escaped.
enum CopyText {
    /// One field: a value in its text form.
    static func append(_ value: SQLValue, to buffer: inout ByteBuffer) {
        switch value {
        case .null: buffer.writeString("\\N")
        case .int(let number): buffer.writeString(String(number))
        case .double(let number): buffer.writeString(number.isFinite ? number.description : (number.isNaN ? "NaN" : (number < 0 ? "-Infinity" : "Infinity")))
        case .text(let text): appendEscaped(text, to: &buffer)
        case .blob(let bytes):
            buffer.writeString("\\\\x")
            appendHex(bytes, to: &buffer)
        }
    }

    /// Hex digits written straight into the buffer's memory: contents are most of the bytes a load sends, and a
    /// per-byte `writeInteger` (capacity and exclusivity checks each time) took most of the loader's time.
    private static func appendHex(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        let count = bytes.count * 2
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            bytes.withUnsafeBufferPointer { source in
                for (index, byte) in source.enumerated() {
                    let high = byte >> 4, low = byte & 0x0F
                    out[2 * index] = high < 10 ? 0x30 + high : 0x57 + high
                    out[2 * index + 1] = low < 10 ? 0x30 + low : 0x57 + low
                }
            }
            return count
        }
    }

    private static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
