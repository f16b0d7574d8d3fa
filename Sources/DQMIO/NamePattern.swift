import Foundation

/// An ME name pattern, as `dump --match`, `--me` and the configuration take it:
/// `re:REGEX` is a regular expression searched anywhere in the full name; a pattern with `*`, `?` or `[` is a
/// shell glob over the whole name (`*` also crosses `/`); anything else is a prefix of the full name.
public struct NamePattern: Sendable, CustomStringConvertible {
    enum Rule: Sendable {
        case prefix(String)
        case glob(String)
        case regex(NSRegularExpression)
    }

    let rule: Rule
    public let description: String

    public init(_ text: String) throws {
        description = text
        if text.hasPrefix("re:") {
            do {
                rule = .regex(try NSRegularExpression(pattern: String(text.dropFirst(3))))
            } catch {
                throw DQMIOError(.invalidArgument, "invalid regular expression in ME pattern \"\(text)\"")
            }
        } else if text.contains(where: { "*?[".contains($0) }) {
            rule = .glob(text)
        } else {
            rule = .prefix(text)
        }
    }

    public func matches(_ name: String) -> Bool {
        switch rule {
        case .prefix(let prefix):
            return name.hasPrefix(prefix)
        case .glob(let glob):
            return fnmatch(glob, name, 0) == 0
        case .regex(let regex):
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
    }
}

