/// A query or path parameter: its name, its type and how a text value is checked. The router and the OpenAPI
/// document both read these, so what is documented is what is enforced.
struct Parameter: Sendable {
    enum Kind: Sendable {
        case integer(minimum: Int64, maximum: Int64)
        case string
        case boolean
        case choice([String])
        /// Comma-separated names, each one of these.
        case list([String])
        /// Comma-separated whole numbers (`__in` filters).
        case integers
    }

    enum Location: String, Sendable {
        case query, path
    }

    let name: String
    let kind: Kind
    let summary: String
    var location = Location.query

    static func integer(_ name: String, _ summary: String, minimum: Int64 = 0, maximum: Int64 = Int64.max) -> Parameter {
        Parameter(name: name, kind: .integer(minimum: minimum, maximum: maximum), summary: summary)
    }

    static func path(_ name: String, _ summary: String) -> Parameter {
        Parameter(name: name, kind: .integer(minimum: 0, maximum: Int64.max), summary: summary, location: .path)
    }

    func parse(_ text: String) throws(APIError) -> ParameterValue {
        // PostgreSQL text cannot hold NUL, and no name or path does.
        guard !text.utf8.contains(0) else { throw .badParameter(name, "contains a NUL character") }
        switch kind {
        case .integer(let minimum, let maximum):
            guard let number = Int64(text) else { throw .badParameter(name, "expected an integer, got \(quoted(text))") }
            guard number >= minimum && number <= maximum else {
                throw .badParameter(name, "\(number) is out of range \(minimum)…\(maximum)")
            }
            return .integer(number)
        case .string:
            return .string(text)
        case .boolean:
            switch text.lowercased() {
            case "true", "1": return .boolean(true)
            case "false", "0": return .boolean(false)
            default: throw .badParameter(name, "expected true or false, got \(quoted(text))")
            }
        case .choice(let values):
            guard values.contains(text) else {
                throw .badParameter(name, "\(quoted(text)) is not one of \(values.joined(separator: ", "))")
            }
            return .string(text)
        case .list(let values):
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for item in items where !values.contains(item) {
                throw .badParameter(name, "unknown name \(quoted(item)) (known: \(values.joined(separator: ", ")))")
            }
            return .list(items)
        case .integers:
            var numbers: [Int64] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let number = Int64(item) else { throw .badParameter(name, "expected comma-separated integers, got \(quoted(String(item)))") }
                numbers.append(number)
            }
            return .integers(numbers)
        }
    }

    private func quoted(_ text: String) -> String { "\"\(text.prefix(80))\"" }

    var schema: JSONValue {
        switch kind {
        case .integer(let minimum, let maximum):
            .object([("type", .string("integer")), ("minimum", .int(minimum)), ("maximum", .int(maximum))])
        case .string: Schema.string
        case .boolean: Schema.boolean
        case .choice(let values): Schema.choice(values)
        case .integers:
            .object([("type", .string("string")), ("pattern", .string("^-?[0-9]+(,-?[0-9]+)*$"))])
        case .list(let values):
            // The pattern documents exactly what parse() accepts: known names, comma-separated.
            .object([("type", .string("string")),
                     ("pattern", .string("^(\(values.joined(separator: "|")))(,(\(values.joined(separator: "|"))))*$"))])
        }
    }

    var document: JSONValue {
        var summary = summary
        if case .list(let values) = kind { summary += " Comma-separated, of: \(values.joined(separator: ", "))." }
        return .object([("name", .string(name)), ("in", .string(location.rawValue)), ("required", .bool(location == .path)),
                        ("description", .string(summary)), ("schema", schema)])
    }
}

enum ParameterValue: Sendable {
    case integer(Int64)
    case string(String)
    case boolean(Bool)
    case list([String])
    case integers([Int64])

    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var boolean: Bool? { if case .boolean(let value) = self { value } else { nil } }
    var list: [String]? { if case .list(let value) = self { value } else { nil } }
    var integers: [Int64]? { if case .integers(let value) = self { value } else { nil } }
}
