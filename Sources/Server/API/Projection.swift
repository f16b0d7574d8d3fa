import Catalog

/// The properties an answer carries and the catalog fields they need, each property's positions among those
/// fields resolved once (per resource for whole items, per request for `fields=`), not per row.
struct Projection: Sendable {
    let properties: [Property]
    let fields: [String]
    private let positions: [[Int]]

    init(_ properties: [Property]) {
        var fields: [String] = []
        positions = properties.map { property in
            property.fields.map { field in
                if let position = fields.firstIndex(of: field) { return position }
                fields.append(field)
                return fields.count - 1
            }
        }
        self.properties = properties
        self.fields = fields
    }

    /// The item of one row, as members.
    func members(_ row: PageRow) throws -> [(String, JSONValue)] {
        try zip(properties, positions).map { property, positions in
            (property.name, try property.value(Property.Cells(row: row, positions: positions)))
        }
    }

    /// The item of one row, written as a JSON object.
    func write(_ row: PageRow, into out: inout JSONOutput) throws {
        out.append(UInt8(ascii: "{"))
        for index in properties.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            properties[index].key.withUnsafeBufferPointer { out.append($0) }
            try properties[index].value(Property.Cells(row: row, positions: positions[index])).write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
