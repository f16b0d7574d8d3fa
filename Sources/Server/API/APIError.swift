import HTTPTypes

/// An answer other than 200, with the JSON body `{"message": …, "parameter": …}`. Bad input is a 400 naming the
/// parameter, an unknown id a 404; nothing a client sends may become a 500.
struct APIError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    let parameter: String?

    static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, message: "parameter \(name): \(problem)", parameter: name)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, message: "\(what) not found", parameter: nil)
    }

    static let unauthorized = APIError(status: .unauthorized, message: "a bearer token is required (Authorization: Bearer …)", parameter: nil)

    var body: JSONValue {
        .object([("message", .string(message)), ("parameter", .of(parameter))])
    }

    static let schema = Schema.object([("message", Schema.string), ("parameter", Schema.nullable("string"))], required: ["message"])
}
