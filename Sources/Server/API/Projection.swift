import Catalog

/// The properties an answer carries and the catalog columns they need, each property's positions among those
/// columns resolved once (per resource for whole items, per request for `fields=`), not per row.
struct Projection: Sendable {
    let properties: [Property]
    let columns: [Column]
    private let positions: [[Int]]
    /// What writing a row needs of each property, in plain values: copying a `Property` per cell retained its
    /// strings, arrays and closure: 4 % of a page's time.
    private let slots: [Slot]
    /// Every property's `"name":`, one after the other.
    private let keys: [UInt8]

    private struct Slot {
        enum Kind { case integer, number, text, boolean, computed }
        let kind: Kind
        let keyStart: Int
        let keyEnd: Int
        /// Where the property's (first) column is in a row.
        let position: Int
    }

    init(_ properties: [Property]) {
        var columns: [Column] = []
        positions = properties.map { property in
            property.columns.map { column in
                if let position = columns.firstIndex(of: column) { return position }
                columns.append(column)
                return columns.count - 1
            }
        }
        var keys: [UInt8] = []
        slots = zip(properties, positions).map { property, positions in
            let start = keys.count
            keys += property.key
            let kind: Slot.Kind = switch property.value {
            case .integer: .integer
            case .number: .number
            case .text: .text
            case .boolean: .boolean
            case .computed: .computed
            }
            return Slot(kind: kind, keyStart: start, keyEnd: keys.count, position: positions.first ?? -1)
        }
        self.keys = keys
        self.properties = properties
        self.columns = columns
    }

    /// The item of one row, as members.
    func members(_ row: PageRow) throws -> [(String, JSONValue)] {
        try properties.indices.map { index in
            let cell = row[position: slots[index].position]
            let value: JSONValue = switch properties[index].value {
            case .integer: .of(cell.int)
            case .number: .of(cell.double)
            case .text: .of(cell.text)
            case .boolean: .bool(cell.bool)
            case .computed(let compute): try compute(Property.Cells(row: row, positions: positions[index]))
            }
            return (properties[index].name, value)
        }
    }

    /// The items of `rows`, written as JSON objects separated by commas. One-column properties go straight from
    /// their cell to the output: a page of histograms has a thousand of them.
    func write(_ rows: [PageRow], into out: inout JSONOutput) throws {
        try keys.withUnsafeBufferPointer { keys in
            for (number, row) in rows.enumerated() {
                if number > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                for (index, slot) in slots.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(UnsafeBufferPointer(rebasing: keys[slot.keyStart..<slot.keyEnd]))
                    let cell = row[position: slot.position]
                    switch slot.kind {
                    case .integer:
                        if let number = cell.int { out.write(number) } else { out.write("null") }
                    case .number:
                        if let number = cell.double { out.write(number) } else { out.write("null") }
                    case .text:
                        if let text = cell.text { JSONValue.write(text, into: &out) } else { out.write("null") }
                    case .boolean:
                        out.write(cell.bool ? "true" : "false")
                    case .computed:
                        guard case .computed(let compute) = properties[index].value else { continue }
                        try compute(Property.Cells(row: row, positions: positions[index])).write(into: &out)
                    }
                }
                out.append(UInt8(ascii: "}"))
            }
        }
    }
}
