/// NumPy's `.npy` format, version 1.0 (numpy/lib/format.py, "Format Version 1.0"): the magic `\x93NUMPY`, the
/// version, a little-endian 16-bit header length, then a Python dict literal giving the dtype, the order and the
/// shape, padded with spaces and a newline so that the data starts on a 64-byte boundary; then the data, C order.
enum NPYArray {
    enum DType: Sendable {
        case float64, float32, int64
        /// Fixed-width UTF-32 strings of `length` characters (`<U…`), as NumPy stores `str` arrays.
        case unicode(length: Int)

        var descriptor: String {
            switch self {
            case .float64: "<f8"
            case .float32: "<f4"
            case .int64: "<i8"
            case .unicode(let length): "<U\(length)"
            }
        }

        var itemSize: Int {
            switch self {
            case .float64, .int64: 8
            case .float32: 4
            case .unicode(let length): 4 * length
            }
        }
    }

    /// The header of an array of `dtype` and `shape`.
    static func header(_ dtype: DType, shape: [Int]) -> [UInt8] {
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(dtype.descriptor)', 'fortran_order': False, 'shape': \(dimensions), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }

    /// Header and data size of an array: what its ZIP entry will hold.
    static func size(_ dtype: DType, shape: [Int]) -> Int {
        header(dtype, shape: shape).count + shape.reduce(1, *) * dtype.itemSize
    }

    /// A whole small array of integers (run numbers, ids).
    static func int64(_ values: [Int64]) -> [UInt8] {
        header(.int64, shape: [values.count]) + bytes(values.map { UInt64(bitPattern: $0) })
    }

    /// A whole small array of doubles (entries, edges).
    static func float64(_ values: [Double]) -> [UInt8] {
        header(.float64, shape: [values.count]) + bytes(values.map(\.bitPattern))
    }

    /// A whole array of strings (ME names, bin labels), as wide as the longest (at least one character).
    static func unicode(_ values: [String]) -> [UInt8] {
        let scalars = values.map { Array($0.unicodeScalars) }
        let length = max(1, scalars.map(\.count).max() ?? 1)
        var out = header(.unicode(length: length), shape: [values.count])
        for string in scalars {
            out += bytes(string.map(\.value) + Array(repeating: 0, count: length - string.count))
        }
        return out
    }

    /// The little-endian bytes of `values`.
    static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}
