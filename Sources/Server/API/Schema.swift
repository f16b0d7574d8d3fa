/// JSON Schema fragments for the OpenAPI document (3.1: JSON Schema 2020-12, so `null` is a type).
enum Schema {
    static let integer: JSONValue = .object([("type", .string("integer"))])
    static let number: JSONValue = .object([("type", .string("number"))])
    static let string: JSONValue = .object([("type", .string("string"))])
    static let boolean: JSONValue = .object([("type", .string("boolean"))])
    /// A histogram's double: a JSON number, or the string NaN, Infinity or -Infinity that JSON cannot spell as a
    /// number (Python's float() and the cmsdials client's models read these).
    static let double: JSONValue = .object([("anyOf", .array([
        number, choice(NumberSpelling.nonFinite),
    ]))])
    /// An instant in ISO 8601, UTC.
    static let dateTime: JSONValue = .object([("type", .string("string")), ("format", .string("date-time"))])

    static func nullable(_ type: String) -> JSONValue {
        .object([("type", .array([.string(type), .string("null")]))])
    }

    static func array(_ items: JSONValue, nullable: Bool = false) -> JSONValue {
        .object([("type", nullable ? .array([.string("array"), .string("null")]) : .string("array")), ("items", items)])
    }

    static func choice(_ values: [String]) -> JSONValue {
        .object([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
    }

    /// An object with exactly these properties; `required` nil means all of them.
    static func object(_ properties: [(String, JSONValue)], required: [String]? = nil) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(properties)),
            ("required", .array((required ?? properties.map(\.0)).map(JSONValue.string))),
            ("additionalProperties", .bool(false)),
        ])
    }
}
