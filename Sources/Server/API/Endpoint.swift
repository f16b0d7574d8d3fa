import Catalog
import HTTPTypes

/// One operation of the API: method, path, parameters, the schema of its answer and its handler. The router is
/// built from the list of endpoints and so is `/openapi.yaml`, so the two cannot disagree.
struct Endpoint: Sendable {
    enum Method: String, Sendable {
        case get, post
    }

    enum Reply: Sendable {
        case json(JSONValue)
        /// JSON already written (list pages, written item by item without a `JSONValue` of the page).
        case written(JSONOutput)
        case text(String, contentType: String)
        /// A body written as it is produced (exports): `write` hands its bytes on, a few MiB at a time, and its
        /// memory stays bounded whatever the size. Saved by the client as `filename`.
        case stream(contentType: String, filename: String, write: @Sendable (([UInt8]) async throws -> Void) async throws -> Void)
    }

    let method: Method
    /// OpenAPI spelling, `{name}` for path parameters.
    let path: String
    let operationID: String
    let summary: String
    let parameters: [Parameter]
    /// Schema of the 200 answer; for text answers, the media types and a string schema.
    let response: JSONValue
    var mediaTypes = ["application/json"]
    /// Needs a bearer token (POST), whatever the read policy.
    var writes = false
    /// Answers 404 for an unknown id.
    var findsByID = false
    /// Reads through the request's workspace (its `Workspace` header).
    var scoped = false
    let handle: @Sendable (APIRequest) async throws -> Reply
}

/// What a handler sees of a request: its parameters (checked against the endpoint's declarations), the server
/// state, and how to spell links back to the server.
struct APIRequest: Sendable {
    let query: [String: String]
    let pathParameters: [String: String]
    /// `http://host:port` as the client addressed us, for absolute `next`/`previous` links.
    let origin: String
    let path: String
    let state: ServerState
    /// Who is asking (set by `APIAuthMiddleware`); what a workspace claim lets them read.
    var principal = Principal.anonymous
    /// The request's header fields, for what a handler reads from them (`Workspace`, see `workspaceScope()`); empty
    /// for the UI's internal requests.
    var headers: HTTPFields = [:]

    func value(_ parameter: Parameter) throws(APIError) -> ParameterValue? {
        let text = parameter.location == .path ? pathParameters[parameter.name] : query[parameter.name]
        guard let text else { return nil }
        return try parameter.parse(text)
    }

    func integer(_ parameter: Parameter) throws(APIError) -> Int64? { try value(parameter)?.integer }

    /// The link to this list with `next_token` set to `token`, other parameters kept.
    func link(token: String) -> String {
        var items = query.filter { $0.key != ListParameters.nextToken.name }.sorted { $0.key < $1.key }
        items.append((ListParameters.nextToken.name, token))
        return origin + path + "?" + items.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
    }

    /// Percent-encoding of everything but RFC 3986's unreserved characters, byte by byte (Foundation's
    /// `addingPercentEncoding` went through NSString on Linux).
    private func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
