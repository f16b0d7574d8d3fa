/// A value bound to or read from SQL, the same for SQLite and PostgreSQL. Times are stored as seconds since the
/// epoch (`double`) in both, so the catalog's SQL is one text for both databases.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text("NaN"): .nan  // how SQLite keeps a NaN (`SQLiteDatabase`)
        default: nil
        }
    }

    public var text: String? { if case .text(let value) = self { value } else { nil } }
    public var blob: [UInt8]? { if case .blob(let value) = self { value } else { nil } }
    public var bool: Bool { int.map { $0 != 0 } ?? false }
    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension SQLValue {
    public static func of(_ value: Int) -> SQLValue { .int(Int64(value)) }
    public static func of(_ value: UInt32) -> SQLValue { .int(Int64(value)) }
    public static func of(_ value: Bool) -> SQLValue { .int(value ? 1 : 0) }
    public static func of(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    public static func of(_ value: Double?) -> SQLValue { value.map(SQLValue.double) ?? .null }
}

/// A result row: values by column position.
public typealias SQLRow = [SQLValue]
