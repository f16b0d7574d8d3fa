/// Where JSON text is written. A page of histograms is 60 kB of mostly numbers, so numbers are spelled straight
/// into the array's spare capacity, a histogram's bins in one go: through a stack buffer and
/// `append(contentsOf:)`, copying the digits took as long as finding them. (A ByteBuffer here cost an exclusivity
/// check per write, more than copying the bytes into the response's buffer once.)
struct JSONOutput {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    /// One copy of the string's contiguous bytes (`append(contentsOf: text.utf8)` goes byte by byte).
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ number: Int64) {
        spell(atMost: NumberSpelling.longestInteger) { NumberSpelling.spell(number, at: 0, in: $0) }
    }

    mutating func write(_ number: Double) {
        spell(atMost: NumberSpelling.longestDouble) { NumberSpelling.spell(number, at: 0, in: $0) }
    }

    /// `[n,n,...]`
    mutating func write(numbers: [Double]) {
        spell(atMost: 2 + numbers.count * (NumberSpelling.longestDouble + 1)) { text in
            text[0] = UInt8(ascii: "[")
            var position = 1
            for (index, number) in numbers.enumerated() {
                if index > 0 {
                    text[position] = UInt8(ascii: ",")
                    position += 1
                }
                position = NumberSpelling.spell(number, at: position, in: text)
            }
            text[position] = UInt8(ascii: "]")
            return position + 1
        }
    }

    /// Lets `body` write at most `count` bytes into spare capacity; it returns how many it wrote.
    private mutating func spell(atMost count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        bytes.append(addingCapacity: count) { span in
            span.withUnsafeMutableBufferPointer { text, length in
                length = body(text)
            }
        }
    }
}
