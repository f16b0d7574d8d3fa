/// A JSON value, written by hand: histogram pages are mostly numbers, and every double must come out exactly as
/// stored (see `NumberSpelling`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// A list of numbers, kept unboxed: histogram bins are most of what the API writes.
    case numbers([Double])
    /// Keys keep their order, so documents read the way they are declared.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    public func serialized() -> String {
        var out = JSONOutput()
        write(into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    func write(into out: inout JSONOutput) {
        switch self {
        case .null: out.write("null")
        case .bool(let value): out.write(value ? "true" : "false")
        case .int(let value): out.write(value)
        case .double(let value): out.write(value)
        case .string(let value): Self.write(value, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .numbers(let values): out.write(numbers: values)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.write(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func write(_ text: String, into out: inout JSONOutput) {
        var text = text
        text.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            // Names and paths rarely need escaping: copy them whole.
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(bytes)
            } else {
                for byte in bytes { appendEscaped(byte, to: &out) }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout JSONOutput) {
        switch byte {
        case UInt8(ascii: "\""): out.write("\\\"")
        case UInt8(ascii: "\\"): out.write("\\\\")
        case UInt8(ascii: "\n"): out.write("\\n")
        case UInt8(ascii: "\r"): out.write("\\r")
        case UInt8(ascii: "\t"): out.write("\\t")
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out.write("\\u00")
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        default: out.append(byte)
        }
    }
}

extension JSONValue {
    static func of(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func of(_ number: Double?) -> JSONValue { number.map(JSONValue.double) ?? .null }
    static func of(_ number: Int64?) -> JSONValue { number.map(JSONValue.int) ?? .null }
}
