/// A column of a listing's rows as the catalog spells it in SQL, or a value the catalog fills in after the query
/// from its name cache. The surfaces say what they read, filter and order by with these values (the listings'
/// namespaces, `Listing.Files.size`, …); the names they show them under are their own. A listing may spell a
/// column differently for one query (`Listing.overrides`), the column staying the same value.
public struct Column: Hashable, Sendable {
    let sql: String
    let lookup: Lookup?

    init(_ sql: String) {
        self.sql = sql
        lookup = nil
    }

    init(lookup: Lookup) {
        sql = "NULL"
        self.lookup = lookup
    }

    /// Values filled in after the query, by an id column the query reads.
    enum Lookup: Hashable, Sendable {
        case meName, meKind, dataset, datasetID

        var idColumn: Column {
            switch self {
            case .meName, .meKind: Listing.Histograms.meID
            case .dataset, .datasetID: Listing.Histograms.fileID
            }
        }

        var byFile: Bool { idColumn == Listing.Histograms.fileID }
    }
}
