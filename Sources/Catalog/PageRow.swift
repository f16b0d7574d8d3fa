/// One row of a page: the values of the requested fields, in the order they were requested, and then the values
/// the catalog needed beside them. `row[position:]` is what pages written in bulk use; a lookup by name scans the
/// short names, which compare faster than they hash.
public struct PageRow: Sendable {
    /// The same array in every row of a page (copy-on-write: setting a value leaves it shared).
    private let fields: [String]
    private var values: [SQLValue]

    init(fields: [String], values: [SQLValue]) {
        self.fields = fields
        self.values = values
    }

    /// The value of `field`; nil when the row has no such field.
    public subscript(field: String) -> SQLValue? {
        fields.firstIndex(of: field).map { values[$0] }
    }

    /// The value of the field requested at `position`; null past the row's end. Setting past the end does nothing.
    public subscript(position position: Int) -> SQLValue {
        get { values.indices.contains(position) ? values[position] : .null }
        set { if values.indices.contains(position) { values[position] = newValue } }
    }
}
