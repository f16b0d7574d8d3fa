import Catalog

/// The `next_token` of a list: the ordering values of the row a page starts after (or, for `previous`, ends
/// before) and the ordering they belong to, spelled in URL-safe characters: `n` or `p`, then `.`-separated values — `i<int>`, `d<double bits, hex>`,
/// `t<base64url text>`, `z` for null. Opaque to clients; a token that does not parse is a 400.
enum CursorToken {
    static func encode(_ cursor: PageCursor, ordering: String) -> String {
        ([cursor.backwards ? "p" : "n", encode(.text(ordering))] + cursor.values.map(encode)).joined(separator: ".")
    }

    /// The cursor of a token issued for `ordering`.
    static func decode(_ token: String, ordering: String, parameter: String) throws(APIError) -> PageCursor {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard let direction = parts.first, direction == "n" || direction == "p", parts.count > 1 else {
            throw .badParameter(parameter, "not a token this server issued")
        }
        var values: [SQLValue] = []
        for part in parts.dropFirst() {
            guard let value = decode(part) else { throw .badParameter(parameter, "not a token this server issued") }
            values.append(value)
        }
        guard values.first == .text(ordering) else { throw .badParameter(parameter, "the token belongs to another order_by") }
        return PageCursor(values: Array(values.dropFirst()), backwards: direction == "p")
    }

    private static func encode(_ value: SQLValue) -> String {
        switch value {
        case .null: "z"
        case .int(let number): "i\(number)"
        case .double(let number): "d" + String(number.bitPattern, radix: 16)
        case .text(let text): "t" + Base64URL.encode(text.utf8)
        case .blob(let bytes): "t" + Base64URL.encode(bytes)
        }
    }

    private static func decode(_ part: Substring) -> SQLValue? {
        guard let tag = part.first else { return nil }
        let body = part.dropFirst()
        switch tag {
        case "z": return body.isEmpty ? .null : nil
        case "i": return Int64(body).map(SQLValue.int)
        case "d": return UInt64(body, radix: 16).map { .double(Double(bitPattern: $0)) }
        case "t":
            // No NUL: PostgreSQL's text cannot hold one.
            guard let bytes = Base64URL.decode(body), !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { return nil }
            return .text(text)
        default: return nil
        }
    }
}
