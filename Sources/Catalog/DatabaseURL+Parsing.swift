import Foundation

/// The pieces of `postgres://[user[:password]@][host][:port][/database][?name=value&…]` as written (not decoded),
/// found by one rule that both reading and redaction use, so that what is redacted is exactly the password read:
/// the query starts at the first `?` followed by `name=`; the user part ends at the LAST `@` before it. A password
/// may so hold an unencoded `@`, `:`, `/` or `?` (but not `?name=`, nor `&` when given as `password=`).
struct URLPieces {
    /// `postgres://`, the scheme and its separator.
    var prefix: Substring
    /// `user[:password]`, nil without an `@`.
    var userinfo: Substring?
    /// `host[:port][/database]`.
    var location: Substring
    /// The query's `name=value` items, values as written.
    var query: [(name: Substring, value: Substring)]

    init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        prefix = text[..<separator.upperBound]
        let body = text[separator.upperBound...]
        let queryMark = Self.queryMark(in: body)
        let beforeQuery = body[..<(queryMark ?? body.endIndex)]
        if let at = beforeQuery.lastIndex(of: "@") {
            userinfo = beforeQuery[..<at]
            location = beforeQuery[beforeQuery.index(after: at)...]
        } else {
            userinfo = nil
            location = beforeQuery
        }
        query = queryMark.map { mark in
            body[body.index(after: mark)...].split(separator: "&").map { item in
                guard let equals = item.firstIndex(of: "=") else { return (item, item[item.endIndex...]) }
                return (item[..<equals], item[item.index(after: equals)...])
            }
        } ?? []
    }

    /// The user name and the password as written (`user:pass`: the user ends at the first `:`, as in libpq).
    var user: Substring? { userinfo.map { $0.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0] } }
    var password: Substring? {
        guard let userinfo, let colon = userinfo.firstIndex(of: ":") else { return nil }
        return userinfo[userinfo.index(after: colon)...]
    }

    /// The first `?` followed by a parameter name and `=`: a `?` in a password is rarely followed by `name=`.
    private static func queryMark(in body: Substring) -> Substring.Index? {
        var index = body.startIndex
        while let mark = body[index...].firstIndex(of: "?") {
            let name = body[body.index(after: mark)...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !name.isEmpty, body[name.endIndex...].first == "=" { return mark }
            index = body.index(after: mark)
        }
        return nil
    }

    /// The text with the password (user part and `password=` values) replaced by `***`.
    var redacted: String {
        var text = String(prefix)
        if let userinfo {
            text += user ?? ""
            if userinfo.contains(":") { text += ":***" }
            text += "@"
        }
        text += location
        if !query.isEmpty {
            text += "?" + query.map { $0.name == "password" ? "password=***" : "\($0.name)=\($0.value)" }.joined(separator: "&")
        }
        return text
    }
}

extension DatabaseURL {
    /// `text` without its password, for messages: also for text that is no database URL at all.
    static func redacted(_ text: String) -> String {
        if let pieces = URLPieces(text) { return pieces.redacted }
        // No scheme: whatever precedes an `@` may be credentials.
        guard let at = text.lastIndex(of: "@") else { return text }
        return "***" + text[at...]
    }

    /// Percent-encodes all but letters, digits, `-._~` and `kept`, so that the text reads back as it was.
    static func encoded(_ text: String, keeping kept: String = "") -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        allowed.insert(charactersIn: kept)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Reads a `postgres://` or `postgresql://` URL.
    static func postgres(_ text: String) throws -> DatabaseURL {
        let shown = redacted(text)
        func problem(_ what: String) -> CatalogError { CatalogError("database URL \(shown): \(what)") }
        guard let pieces = URLPieces(text), pieces.prefix == "postgres://" || pieces.prefix == "postgresql://" else {
            throw problem("expected postgres://user:pass@host:port/db, sqlite:///absolute/path or sqlite:relative/path")
        }
        func decoded(_ raw: Substring, _ what: String) throws -> String {
            guard let value = raw.removingPercentEncoding else { throw problem("\(what) is not valid percent-encoding") }
            return value
        }
        var parameters: [String: String] = [:]
        for (name, value) in pieces.query {
            // Name only the parameter: its value may be the password.
            parameters[String(name)] = try decoded(value, "the value of \(name)=")
        }
        func parameter(_ name: String) -> String? { parameters[name] }

        let (hostText, portText, database) = try Self.location(pieces.location, problem)
        let socketDirectory = parameter("host")
        if let socketDirectory, !socketDirectory.hasPrefix("/") {
            throw problem("host= must name a socket directory (an absolute path)")
        }
        let host = try socketDirectory ?? decoded(hostText, "the host")
        let name = try decoded(database, "the database name")
        guard !host.isEmpty, !name.isEmpty else { throw problem("needs a host (or host=/socket/dir) and a database name") }
        var port = 5432
        for text in [portText.map(String.init), parameter("port")].compactMap({ $0 }) {
            guard let number = Int(text), (1...65535).contains(number) else { throw problem("port must be 1…65535") }
            port = number
        }
        let user = try pieces.user.map { try decoded($0, "the user name") } ?? ""
        let password = try parameter("password") ?? pieces.password.map { try decoded($0, "the password") }
        let options = try PostgresOptions(parameter: parameter, problem: problem)
        return .postgres(host: host, port: port, user: user.isEmpty ? "postgres" : user, password: password,
                         database: name, options: options)
    }

    /// `host[:port][/database]`, an IPv6 address in brackets; parts as written.
    private static func location(_ text: Substring, _ problem: (String) -> CatalogError) throws
        -> (host: Substring, port: Substring?, database: Substring) {
        let slash = text.firstIndex(of: "/")
        let authority = text[..<(slash ?? text.endIndex)]
        let database = slash.map { text[text.index(after: $0)...] } ?? text[text.endIndex...]
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw problem("an IPv6 address needs its closing ]") }
            let host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw problem("expected :port after the IPv6 address") }
            return (host, rest.isEmpty ? nil : rest.dropFirst(), database)
        }
        guard let colon = authority.lastIndex(of: ":") else { return (authority, nil, database) }
        return (authority[..<colon], authority[authority.index(after: colon)...], database)
    }
}
