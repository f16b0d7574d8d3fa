import DQMIO
import Foundation

/// How an axis's optional parts are stored, written by the ETL and read back by the catalog and the API: edges as
/// plain little-endian doubles (`HistogramBlob.encode(edges:)`), labels as a JSON list of strings.
public enum StoredAxis {
    static func labels(_ names: [String]) -> SQLValue {
        var text = ""
        JSON.appendList(names, to: &text, JSON.appendString)
        return .text(text)
    }

    /// The labels of a stored axis; nil when it has none.
    public static func labels(from value: SQLValue?) throws -> [String]? {
        guard let text = value?.text else { return nil }
        guard let names = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else {
            throw CatalogError("unreadable axis labels")
        }
        return names
    }

    /// The variable bin edges of a stored axis; nil when it has none.
    public static func edges(from value: SQLValue?) throws -> [Double]? {
        guard let blob = value?.blob else { return nil }
        guard let edges = HistogramBlob.decode(edges: blob) else { throw CatalogError("unreadable axis edges") }
        return edges
    }
}
