/// How the API spells numbers, written into raw bytes (room checked by the caller, `JSONOutput`).
///
/// Doubles come out exactly as stored: whole ones below 10^15 as integers ("3", the same double as "3.0"), the rest
/// as Swift's `description` spells them (the shortest digits that read back as the same double), zero as "0" or
/// "-0.0", and non-finite values, which JSON cannot spell as numbers, as the strings "NaN", "Infinity" and
/// "-Infinity" (what Python's float() reads, and so the cmsdials client's float fields).
enum NumberSpelling {
    static let nonFinite = ["NaN", "Infinity", "-Infinity"]

    /// "-9223372036854775808"
    static let longestInteger = 20
    /// "-1.2345678901234567e-308"
    static let longestDouble = 24

    /// Spells `number` from `position` in `text`; returns where it ends.
    static func spell(_ number: Int64, at position: Int, in text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var position = position
        if number < 0 {
            text[position] = UInt8(ascii: "-")
            position += 1
        }
        let count = digitCount(number.magnitude)
        writeDigits(number.magnitude, endingAt: position + count, in: text)
        return position + count
    }

    /// Spells `number` from `position` in `text`; returns where it ends.
    static func spell(_ number: Double, at position: Int, in text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        // Whole below 10^15: converting to Int64 and back gives it back (`rounded(.towardZero)` was a libm call).
        if number.magnitude < 1e15, Double(Int64(number)) == number {
            if number == 0, number.sign == .minus { return copy("-0.0", at: position, in: text) }
            return spell(Int64(number), at: position, in: text)
        }
        if let decimal = ShortestDecimal(number) {
            return spell(decimal, negative: number < 0, large: number.magnitude > 0x1p53, at: position, in: text)
        }
        // Subnormals (rare enough for Swift's own printer) and non-finite values.
        if number.isNaN { return copy("\"NaN\"", at: position, in: text) }
        if number.isInfinite { return copy(number < 0 ? "\"-Infinity\"" : "\"Infinity\"", at: position, in: text) }
        return copy(number.description, at: position, in: text)
    }

    /// `decimal` in Swift's layout: a plain decimal ("0.0001", "15.003999710083008", "9007199254740992.0") from
    /// 10^-4 to 2^53, and "1.5e+16", "1e-05" outside.
    private static func spell(
        _ decimal: ShortestDecimal, negative: Bool, large: Bool, at start: Int, in text: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        let significand = decimal.significand
        let count = digitCount(significand)
        let scientificExponent = count - 1 + decimal.exponent
        var position = start
        if negative {
            text[position] = UInt8(ascii: "-")
            position += 1
        }
        if scientificExponent < -4 || large {
            // d.ddde+XX: the digits one place to the right, then the first moved left over the point.
            writeDigits(significand, endingAt: position + 1 + count, in: text)
            text[position] = text[position + 1]
            if count > 1 {
                text[position + 1] = UInt8(ascii: ".")
                position += count + 1
            } else {
                position += 1
            }
            text[position] = UInt8(ascii: "e")
            text[position + 1] = scientificExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            position += 2
            var magnitude = abs(scientificExponent)  // at most 324
            if magnitude >= 100 {
                text[position] = UInt8(ascii: "0") + UInt8(magnitude / 100)
                position += 1
                magnitude %= 100
            }
            writeDigits(UInt64(magnitude), endingAt: position + 2, in: text)
            if magnitude < 10 { text[position] = UInt8(ascii: "0") }
            return position + 2
        }
        if scientificExponent < 0 {
            // 0.000ddd
            text[position] = UInt8(ascii: "0")
            text[position + 1] = UInt8(ascii: ".")
            position += 2
            for _ in 0 ..< -scientificExponent - 1 {
                text[position] = UInt8(ascii: "0")
                position += 1
            }
            writeDigits(significand, endingAt: position + count, in: text)
            return position + count
        }
        let whole = scientificExponent + 1
        if count > whole {
            // ddd.ddd: the digits one place to the right, then the whole ones moved left over the point.
            writeDigits(significand, endingAt: position + 1 + count, in: text)
            for index in position ..< position + whole { text[index] = text[index + 1] }
            text[position + whole] = UInt8(ascii: ".")
            return position + 1 + count
        }
        // ddd000.0
        writeDigits(significand, endingAt: position + count, in: text)
        for index in position + count ..< position + whole { text[index] = UInt8(ascii: "0") }
        text[position + whole] = UInt8(ascii: ".")
        text[position + whole + 1] = UInt8(ascii: "0")
        return position + whole + 2
    }

    private static func copy(_ string: String, at position: Int, in text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var end = position
        for byte in string.utf8 {
            text[end] = byte
            end += 1
        }
        return end
    }

    private static func digitCount(_ value: UInt64) -> Int {
        let bits = 64 - value.leadingZeroBitCount
        let count = (bits * 1233) >> 12  // floor(bits × log10(2)): one less than the digit count, or equal to it
        return count < powersOfTen.count && value >= powersOfTen[count] ? count + 1 : max(count, 1)
    }

    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// The decimal digits of `value`, the last one just before `end`: eight at a time in 32-bit arithmetic, two
    /// at a time within those, each pair copied from a table (one digit at a time, the chain of dependent divisions
    /// cost more than finding the digits).
    private static func writeDigits(_ value: UInt64, endingAt end: Int, in text: UnsafeMutableBufferPointer<UInt8>) {
        let output = UnsafeMutableRawBufferPointer(text)
        let pairs = UnsafeRawPointer(digitPairs.utf8Start)
        var position = end
        func writePair(_ pair: UInt32) {
            position -= 2
            output.storeBytes(of: pairs.loadUnaligned(fromByteOffset: 2 * Int(pair), as: UInt16.self),
                              toByteOffset: position, as: UInt16.self)
        }
        var rest = value
        while rest >= 100_000_000 {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 100_000_000)
            let (upper, lower) = UInt32(truncatingIfNeeded: remainder).quotientAndRemainder(dividingBy: 10_000)
            writePair(lower % 100)
            writePair(lower / 100)
            writePair(upper % 100)
            writePair(upper / 100)
            rest = quotient
        }
        var small = UInt32(truncatingIfNeeded: rest)
        while small >= 100 {
            writePair(small % 100)
            small /= 100
        }
        if small >= 10 {
            writePair(small)
        } else {
            text[position - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: small)
        }
    }

    /// "00", "01", … "99", one after the other.
    private static let digitPairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """
}
