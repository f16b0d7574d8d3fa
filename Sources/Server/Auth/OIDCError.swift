/// Why a bearer JWT was refused, or the JWKS could not be read. The message names the rule broken, never the
/// token's contents; clients see only the API's 401 whatever the code.
struct OIDCError: Error, Sendable, CustomStringConvertible {
    struct Code: Sendable, Hashable, CustomStringConvertible {
        let description: String
        static let malformed = Code(description: "malformed")
        static let unsupportedAlgorithm = Code(description: "unsupportedAlgorithm")
        static let unknownKey = Code(description: "unknownKey")
        static let badSignature = Code(description: "badSignature")
        static let expired = Code(description: "expired")
        static let notYetValid = Code(description: "notYetValid")
        static let wrongIssuer = Code(description: "wrongIssuer")
        static let wrongAudience = Code(description: "wrongAudience")
        static let jwksUnavailable = Code(description: "jwksUnavailable")
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "OIDC \(code): \(message)" }
}
