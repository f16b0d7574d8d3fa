/// Block-style YAML for the OpenAPI document, from the same `JSONValue` tree the JSON form is written from.
/// Every string is double-quoted (JSON escaping is valid YAML), so no value can be mistaken for another type.
enum YAML {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let members) where !members.isEmpty:
            for (key, member) in members {
                out += pad + scalar(.string(key)) + ":"
                append(member, indent: indent + 1, into: &out)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                out += pad + "-"
                append(item, indent: indent + 1, into: &out)
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }

    /// A member after its `key:` or `-`: scalars on the same line, collections below.
    private static func append(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let members) where !members.isEmpty:
            out += "\n"
            write(value, indent: indent, into: &out)
        case .array(let items) where !items.isEmpty:
            out += "\n"
            write(value, indent: indent, into: &out)
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .object: "{}"
        case .array: "[]"
        default: value.serialized()
        }
    }
}
