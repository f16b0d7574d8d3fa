import Catalog
import Foundation

/// One property of a resource's items: its name and schema, the catalog columns it is made from, and how. A
/// resource is its list of properties, so the document, the columns read and the items written cannot drift apart;
/// the names are the API's (DIALS's), the columns the catalog's.
struct Property: Sendable {
    /// How the value is made: most properties are one column as it is; the rest compute theirs.
    enum Value: Sendable {
        case integer, number, text, boolean
        case computed(@Sendable (Cells) throws -> JSONValue)
    }

    let name: String
    let schema: JSONValue
    let columns: [Column]
    let value: Value
    /// `"name":` as written before each value.
    let key: [UInt8]
    /// What a cursor holds for this property's column when a list is ordered by it: its value's kind, and for a
    /// computed one (dates) the kind of its column.
    let cursorKind: Value?

    init(_ name: String, _ schema: JSONValue, columns: [Column], value: Value, cursorKind: Value? = nil) {
        self.name = name
        self.schema = schema
        self.columns = columns
        self.value = value
        if case .computed = value { self.cursorKind = cursorKind } else { self.cursorKind = value }
        var out = JSONOutput()
        JSONValue.string(name).write(into: &out)
        out.append(UInt8(ascii: ":"))
        key = out.bytes
    }

    init(_ name: String, _ schema: JSONValue, columns: [Column], cursorKind: Value? = nil,
         computed: @escaping @Sendable (Cells) throws -> JSONValue) {
        self.init(name, schema, columns: columns, value: .computed(computed), cursorKind: cursorKind)
    }

    /// The values of a property's columns in one row, in the order the property names them.
    struct Cells {
        let row: PageRow
        let positions: [Int]

        subscript(_ index: Int) -> SQLValue {
            positions.indices.contains(index) ? row[position: positions[index]] : .null
        }
    }

    static func integer(_ name: String, _ column: Column) -> Property {
        Property(name, Schema.integer, columns: [column], value: .integer)
    }

    static func number(_ name: String, _ column: Column, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("number") : Schema.number, columns: [column], value: .number)
    }

    /// A histogram's double (non-finite ones spelt as strings).
    static func double(_ name: String, _ column: Column) -> Property {
        Property(name, Schema.double, columns: [column], value: .number)
    }

    /// Seconds since 1970 as ISO 8601 in UTC, as DIALS's dates.
    static func date(_ name: String, _ column: Column) -> Property {
        Property(name, Schema.dateTime, columns: [column], cursorKind: .number) { cells in
            cells[0].double.map { .string(Date(timeIntervalSince1970: $0).formatted(.iso8601)) } ?? .null
        }
    }

    static func text(_ name: String, _ column: Column, nullable: Bool = false) -> Property {
        Property(name, nullable ? Schema.nullable("string") : Schema.string, columns: [column], value: .text)
    }

    static func choice(_ name: String, _ column: Column, _ values: [String]) -> Property {
        Property(name, Schema.choice(values), columns: [column], value: .text)
    }

    static func boolean(_ name: String, _ column: Column) -> Property {
        Property(name, Schema.boolean, columns: [column], value: .boolean)
    }
}
