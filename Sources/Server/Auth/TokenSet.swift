import Foundation

/// The bearer tokens the server accepts. Compared in constant time, so that timing does not reveal a token's
/// prefix; never logged or echoed.
struct TokenSet: Sendable {
    private let tokens: [[UInt8]]

    init(_ tokens: [String]) {
        self.tokens = tokens.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    var isEmpty: Bool { tokens.isEmpty }

    func accepts(_ candidate: String) -> Bool {
        let bytes = Array(candidate.utf8)
        var accepted = false
        for token in tokens where Self.equal(token, bytes) { accepted = true }
        return accepted
    }

    /// The token of an `Authorization: Bearer <token>` header; nil without one (or with another scheme).
    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
