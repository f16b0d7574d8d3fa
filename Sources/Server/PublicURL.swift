import Foundation

/// The address clients use to reach the server (`--public-url`, e.g. behind a reverse proxy): the API's `next` and
/// `previous` links start with it, and an `https` one makes the session cookie `Secure`.
public struct PublicURL: Sendable, Equatable {
    /// `scheme://host[:port][/prefix]`, without a trailing slash.
    public let origin: String
    public let isHTTPS: Bool

    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public let problem: String
        public var description: String { "public URL \"\(text)\": \(problem)" }
    }

    public init(_ text: String) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else {
            throw Invalid(text: text, problem: "not an absolute URL (https://host[:port][/prefix])")
        }
        guard scheme == "http" || scheme == "https" else { throw Invalid(text: text, problem: "the scheme must be http or https, not \(scheme)") }
        guard let host = url.host, !host.isEmpty else { throw Invalid(text: text, problem: "no host") }
        guard url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else {
            throw Invalid(text: text, problem: "only scheme, host, port and a path prefix are allowed")
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        origin = trimmed
        isHTTPS = scheme == "https"
    }
}
