import Catalog

/// One property of a resource's items: its name and schema, the catalog fields it is made from, and how. A resource
/// is its list of properties, so the document, the fields read and the items written cannot drift apart.
struct Property: Sendable {
    let name: String
    let schema: JSONValue
    let fields: [String]
    let value: @Sendable (Cells) throws -> JSONValue
    /// `"name":` as written before each value.
    let key: [UInt8]

    init(_ name: String, _ schema: JSONValue, fields: [String], value: @escaping @Sendable (Cells) throws -> JSONValue) {
        self.name = name
        self.schema = schema
        self.fields = fields
        self.value = value
        var out = JSONOutput()
        JSONValue.string(name).write(into: &out)
        out.append(UInt8(ascii: ":"))
        key = out.bytes
    }

    /// The values of a property's fields in one row, in the order the property names them.
    struct Cells {
        let row: PageRow
        let positions: [Int]

        subscript(_ index: Int) -> SQLValue {
            positions.indices.contains(index) ? row[position: positions[index]] : .null
        }
    }

    // MARK: properties that are one field

    static func integer(_ name: String, field: String? = nil) -> Property {
        Property(name, Schema.integer, fields: [field ?? name]) { .of($0[0].int) }
    }

    static func number(_ name: String, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("number") : Schema.number, fields: [name]) { .of($0[0].double) }
    }

    static func text(_ name: String, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("string") : Schema.string, fields: [name]) { .of($0[0].text) }
    }

    static func choice(_ name: String, _ values: [String]) -> Property {
        Property(name, Schema.choice(values), fields: [name]) { .of($0[0].text) }
    }

    static func boolean(_ name: String) -> Property {
        Property(name, Schema.boolean, fields: [name]) { .bool($0[0].bool) }
    }
}
