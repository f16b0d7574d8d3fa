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

    /// `Authorization: Bearer <token>` with an accepted token.
    func accepts(authorization header: String?) -> Bool {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        return accepts(String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
