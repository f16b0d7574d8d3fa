/// Names and messages fit for a terminal or a one-line message (a file name holding ESC [ 2 J cleared the screen
/// of whoever ran `files`).
public enum EscapedText {
    /// Bytes that may be neither valid UTF-8 nor printable (a name from storage), spelled so that the exact bytes
    /// can be read back: a byte that is not part of a valid UTF-8 sequence becomes `\xHH`, a control character
    /// (C0, DEL, C1) `\u{HH}`, and a backslash `\\`.
    public static func of<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        escaped(bytes, backslashes: true)
    }

    /// Text for a terminal: its control characters as `\u{HH}`. Backslashes stay, so text already escaped (a
    /// problem naming a non-UTF-8 name, a NUL stored as `\u{00}`) is shown as it is.
    public static func forTerminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return escaped(Array(text.utf8), backslashes: false)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func escaped<Bytes: Collection>(_ bytes: Bytes, backslashes: Bool) -> String where Bytes.Element == UInt8 {
        var out = ""
        var rest = bytes[...]
        while let lead = rest.first {
            let length = sequenceLength(rest)
            guard length > 0 else {
                out += "\\x" + hex(lead)
                rest = rest.dropFirst()
                continue
            }
            let sequence = rest.prefix(length)
            rest = rest.dropFirst(length)
            let scalar = String(decoding: sequence, as: UTF8.self).unicodeScalars.first
            guard let scalar else { continue }
            if scalar == "\\" && backslashes {
                out += "\\\\"
            } else if isControl(scalar) {
                out += "\\u{" + hex(UInt8(scalar.value)) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The length of the valid UTF-8 sequence `bytes` starts with, 0 when it starts with none (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF).
    static func sequenceLength<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        guard let lead = iterator.next() else { return 0 }
        let (length, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0x00...0x7F: (1, 0, 0)
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: (0, 0, 0)
        }
        guard length > 1 else { return length }
        // The second byte has the lead's range; the others are plain continuation bytes.
        guard let second = iterator.next(), (low...high).contains(second) else { return 0 }
        for _ in 2..<length {
            guard let next = iterator.next(), (0x80...0xBF).contains(next) else { return 0 }
        }
        return length
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
