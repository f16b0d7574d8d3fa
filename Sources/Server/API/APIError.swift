import Foundation
import HTTPTypes
import Logging

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

    /// A fault of ours (the database gone, a bug): its text may hold SQL or paths of the server, so it goes to the
    /// log under a fresh error id, and the client gets only the id.
    static func logged(_ error: any Error, in operation: String, logger: Logger) -> APIError {
        let id = UUID().uuidString.prefix(8).lowercased()
        logger.error("\(operation) failed, error id \(id): \(error)")
        return APIError(status: .internalServerError, message: "internal error (id \(id), in the server's log)", parameter: nil)
    }

    static let unauthorized = APIError(status: .unauthorized, message: "a bearer token is required (Authorization: Bearer …)", parameter: nil)

    var body: JSONValue {
        .object([("message", .string(message)), ("parameter", .of(parameter))])
    }

    static let schema = Schema.object([("message", Schema.string), ("parameter", Schema.nullable("string"))], required: ["message"])
}
