/// One row of a page: its values by field name. A page has a dozen or two fields, so a lookup scans their short
/// names, which compare faster than they hash: a dictionary per row (filled, then looked up ~25 times) was a
/// twentieth of an API request's CPU time.
public struct PageRow: Sendable {
    /// The same array in every row of a page (copy-on-write: setting a value leaves it shared).
    private let fields: [String]
    private var values: [SQLValue]

    init(fields: [String], values: [SQLValue]) {
        self.fields = fields
        self.values = values
    }

    /// The value of `field`; nil when the row has no such field. Setting a field the row lacks does nothing.
    public subscript(field: String) -> SQLValue? {
        get { fields.firstIndex(of: field).map { values[$0] } }
        set {
            if let index = fields.firstIndex(of: field) { values[index] = newValue ?? .null }
        }
    }
}
