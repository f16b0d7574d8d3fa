/// One row of a page: the values of the requested columns, in the order they were requested, and then the values
/// the catalog needed beside them. `row[position:]` is what pages written in bulk use; a lookup by column scans
/// the short list of columns.
public struct PageRow: Sendable {
    /// The same array in every row of a page (copy-on-write: setting a value leaves it shared).
    private let columns: [Column]
    private var values: [SQLValue]

    init(columns: [Column], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`; nil when the row has no such column.
    public subscript(column: Column) -> SQLValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The value of the column requested at `position`; null past the row's end. Setting past the end does nothing.
    public subscript(position position: Int) -> SQLValue {
        get { values.indices.contains(position) ? values[position] : .null }
        set { if values.indices.contains(position) { values[position] = newValue } }
    }
}
