import Catalog
import Foundation

/// One property of a resource's items: its name and schema, the catalog fields it is made from, and how. A resource
/// is its list of properties, so the document, the fields read and the items written cannot drift apart.
struct Property: Sendable {
    /// How the value is made: most properties are one field as it is; the rest compute theirs.
    enum Value: Sendable {
        case integer, number, text, boolean
        case computed(@Sendable (Cells) throws -> JSONValue)
    }

    let name: String
    let schema: JSONValue
    let fields: [String]
    let value: Value
    /// `"name":` as written before each value.
    let key: [UInt8]

    init(_ name: String, _ schema: JSONValue, fields: [String], value: Value) {
        self.name = name
        self.schema = schema
        self.fields = fields
        self.value = value
        var out = JSONOutput()
        JSONValue.string(name).write(into: &out)
        out.append(UInt8(ascii: ":"))
        key = out.bytes
    }

    init(_ name: String, _ schema: JSONValue, fields: [String], computed: @escaping @Sendable (Cells) throws -> JSONValue) {
        self.init(name, schema, fields: fields, value: .computed(computed))
    }

    /// The values of a property's fields in one row, in the order the property names them.
    struct Cells {
        let row: PageRow
        let positions: [Int]

        subscript(_ index: Int) -> SQLValue {
            positions.indices.contains(index) ? row[position: positions[index]] : .null
        }
    }

    static func integer(_ name: String, field: String? = nil) -> Property {
        Property(name, Schema.integer, fields: [field ?? name], value: .integer)
    }

    static func number(_ name: String, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("number") : Schema.number, fields: [name], value: .number)
    }

    /// A histogram's double (non-finite ones spelt as strings).
    static func double(_ name: String) -> Property {
        Property(name, Schema.double, fields: [name], value: .number)
    }

    /// Seconds since 1970 as ISO 8601 in UTC, as DIALS's dates.
    static func date(_ name: String) -> Property {
        Property(name, Schema.dateTime, fields: [name]) { cells in
            cells[0].double.map { .string(Date(timeIntervalSince1970: $0).formatted(.iso8601)) } ?? .null
        }
    }

    static func text(_ name: String, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("string") : Schema.string, fields: [name], value: .text)
    }

    static func choice(_ name: String, _ values: [String]) -> Property {
        Property(name, Schema.choice(values), fields: [name], value: .text)
    }

    static func boolean(_ name: String) -> Property {
        Property(name, Schema.boolean, fields: [name], value: .boolean)
    }
}
