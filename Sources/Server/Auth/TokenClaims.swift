import JWTKit

/// A JWT's payload as JSON values, claim by claim: the verifier reads `iss`, `aud`, `exp`, `nbf`, `sub` and the
/// workspaces claim (a name known only at run time) from it.
struct TokenClaims: JWTPayload {
    indirect enum Value: Sendable, Codable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case array([Value])
        case object([String: Value])
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Value].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Value].self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            case .null: try container.encodeNil()
            }
        }

        /// A string, or a list's strings (other items dropped); nil for anything else.
        var strings: [String]? {
            switch self {
            case .string(let value): [value]
            case .array(let values): values.compactMap { if case .string(let value) = $0 { value } else { nil } }
            default: nil
            }
        }
    }

    let values: [String: Value]

    init(_ values: [String: Value]) {
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Value].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    subscript(name: String) -> Value? { values[name] }

    func string(_ name: String) -> String? {
        if case .string(let value)? = values[name] { value } else { nil }
    }

    func number(_ name: String) -> Double? {
        if case .number(let value)? = values[name] { value } else { nil }
    }

    /// Only the signature is jwt-kit's to check; `OIDCVerifier` checks the claims against its settings and clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
