import Foundation

/// Compares parsed JSON as the truth files define equality: key order and number spelling are free, extra keys
/// in ours are allowed, numbers are equal as doubles — except an axis's `min`/`max`, which ROOT computes and
/// which may differ in the last bits (1e-12 relative).
enum TruthComparison {
    static func parse(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        guard let dictionary = object as? [String: Any] else { throw Unexpected(line: String(line.prefix(80))) }
        return dictionary
    }

    struct Unexpected: Error { let line: String }

    /// The first difference between `truth` and `ours`, as a path and the two values; nil when they agree.
    static func difference(truth: Any, ours: Any?, path: String = "") -> String? {
        switch truth {
        case let expected as [String: Any]:
            guard let actual = ours as? [String: Any] else { return "\(path): not an object" }
            for (key, value) in expected {
                if let found = difference(truth: value, ours: actual[key], path: "\(path).\(key)") { return found }
            }
            return nil
        case let expected as [Any]:
            guard let actual = ours as? [Any], actual.count == expected.count else {
                return "\(path): \((ours as? [Any])?.count ?? -1) items, truth has \(expected.count)"
            }
            for (index, value) in expected.enumerated() {
                if let found = difference(truth: value, ours: actual[index], path: "\(path)[\(index)]") { return found }
            }
            return nil
        case let expected as NSNumber:
            guard let actual = ours as? NSNumber else { return "\(path): missing number" }
            let (a, b) = (actual.doubleValue, expected.doubleValue)
            if a == b || (a.isNaN && b.isNaN) { return nil }
            if path.hasSuffix(".min") || path.hasSuffix(".max"), abs(a - b) <= 1e-12 * max(abs(a), abs(b)) { return nil }
            return "\(path): \(a) ≠ truth \(b)"
        case let expected as String:
            return (ours as? String) == expected ? nil : "\(path): \(String(describing: ours)) ≠ truth \(expected)"
        default:
            return ours == nil ? "\(path): missing" : nil
        }
    }

    /// Identity of a record within a file.
    static func key(_ record: [String: Any]) -> String {
        "\(record["run"] ?? "")/\(record["lumi"] ?? "")/\(record["kind"] ?? "")/\(record["name"] ?? "")"
    }
}
