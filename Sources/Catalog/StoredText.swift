/// Text stored in the catalog that comes from input (reader errors, ME names): PostgreSQL's text cannot hold NUL
/// (`invalid byte sequence for encoding "UTF8": 0x00`), and SQLite's C API cut such an error at the NUL. A NUL is
/// stored as the six characters `\u{00}`, the spelling the CLI gives a NUL in a name (a name that holds those six
/// characters themselves becomes indistinguishable from it: accepted, as neither occurs in CMS's ME names).
public enum StoredText {
    public static func clean(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        var cleaned = ""
        for scalar in text.unicodeScalars {
            if scalar.value == 0 { cleaned += "\\u{00}" } else { cleaned.unicodeScalars.append(scalar) }
        }
        return cleaned
    }
}
