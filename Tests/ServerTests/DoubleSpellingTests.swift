@testable import Server
import Testing
import TestSupport

/// The API spells doubles with its own shortest-digits printer (`ShortestDecimal`, `NumberSpelling`): each must
/// come out as Swift's `description` (whole numbers below 10^15 as integers), which reads back as the same double.
struct DoubleSpellingTests {
    private func spelled(_ value: Double) -> String {
        var out = JSONOutput()
        out.write(value)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private func expected(_ value: Double) -> String {
        guard value == value.rounded(.towardZero), value.magnitude < 1e15 else { return value.description }
        return value == 0 && value.sign == .minus ? "-0.0" : String(Int64(value))
    }

    private func mismatches(_ values: some Sequence<Double>) -> [String] {
        values.compactMap { value in
            let ours = spelled(value)
            return ours == expected(value) && Double(ours) == value ? nil : "\(value.bitPattern): \(ours) vs \(value)"
        }
    }

    @Test func randomBitsAtEveryBinaryExponent() {
        var random = SplitMix64(seed: 7)
        var values: [Double] = []
        for biasedExponent in UInt64(0)...2046 {
            for _ in 0..<48 {
                let bits = random.next() & (1 << 63 | (1 << 52 - 1)) | biasedExponent << 52
                values.append(Double(bitPattern: bits))
            }
        }
        values.removeAll { $0 == 0 }
        #expect(mismatches(values).prefix(5) == [])
    }

    /// TH1F/TH2F contents: float32 values widened to doubles, whose shortest spelling has ~17 digits.
    @Test func widenedFloats() {
        var random = SplitMix64(seed: 11)
        let values = (0..<50_000).map { _ in
            Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x7F7F_FFFF))
        }.filter { $0 != 0 }
        #expect(mismatches(values).prefix(5) == [])
    }

    /// The edges of the method (powers of two, whose lower neighbour is closer) and of the layout (10^-4, 2^53,
    /// three-digit exponents), each with its neighbours.
    @Test func edges() {
        var centers: [Double] = [0x1p53, 1e-4, 1e15, 1e16, 1e17, 1e22, 1e23, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 5e-5,
                                 .greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, 123_456.789]
        centers += (-1022...1023).map { Double(sign: .plus, exponent: $0, significand: 1) }
        centers += (-307...308).compactMap { Double("1e\($0)") }
        centers += (1...100_000).map { Double($0) * 1_000_003 }
        let values = centers.flatMap { [$0, $0.nextUp, $0.nextDown, -$0] }.filter { $0.isFinite && $0 != 0 }
        #expect(mismatches(values).prefix(5) == [])
    }

    @Test func listsIntegersAndValuesJSONCannotSpell() {
        var out = JSONOutput()
        out.write(numbers: [0, -0.0, 3, -2.5, .nan, .infinity, -.infinity, 0.1, 1e300, 4_503_599_627_370_497])
        out.append(UInt8(ascii: " "))
        for number in [Int64.min, -1, 0, 9, 10, Int64.max] {
            out.write(number)
            out.append(UInt8(ascii: " "))
        }
        #expect(String(decoding: out.bytes, as: UTF8.self) ==
            "[0,-0.0,3,-2.5,\"NaN\",\"Infinity\",\"-Infinity\",0.1,1e+300,4503599627370497.0] " +
            "-9223372036854775808 -1 0 9 10 9223372036854775807 ")
    }

    @Test func subnormalsFallBackToSwiftsPrinter() {
        let smallestNormal = Double.leastNormalMagnitude
        let values = [Double.leastNonzeroMagnitude, smallestNormal.nextDown, smallestNormal / 3, -smallestNormal / 1e5]
        #expect(mismatches(values) == [])
        #expect(values.allSatisfy { ShortestDecimal($0) == nil })
    }
}
