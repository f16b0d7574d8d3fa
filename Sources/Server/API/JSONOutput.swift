/// Where JSON text is written. A page of histograms is 60 kB of mostly numbers, so each number is written without a
/// String in between. (A ByteBuffer here cost an exclusivity check per write, more than copying the bytes into the
/// response's buffer once.)
struct JSONOutput: TextOutputStream {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    /// One copy of the string's contiguous bytes (`append(contentsOf: text.utf8)` goes byte by byte).
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A whole number's decimal digits, made in a stack buffer.
    mutating func write(_ number: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = number.magnitude
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if number < 0 { append(UInt8(ascii: "-")) }
            append(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `Double.write(to:)` hands its digits over here from a stack buffer. `description` made a String of them
    /// first: a heap allocation and a copy per number past 15 characters, such as the 17 digits of a float32
    /// fraction widened to a double.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { append(buffer) }
}
