import DQMIO
import ROOTIO

/// Bin contents as stored: the numbers exactly as the file holds them, little-endian, with a storage code —
/// float32 for TH*F (half the bytes of float8 and no rounding: every float32 is a double), float64 for TH*D and
/// profile means, int16 for TH*S, int32 for TH*I. Reading back gives exactly the doubles ROOT gives.
public enum HistogramBlob {
    public enum Storage: Int64, Sendable {
        case float32 = 0, float64 = 1, int16 = 2, int32 = 3
    }

    public static func encode(_ values: BinStorage) -> (Storage, [UInt8]) {
        switch values {
        case .float32(let numbers): (.float32, bytes(numbers.map(\.bitPattern)))
        case .float64(let numbers): (.float64, bytes(numbers.map(\.bitPattern)))
        case .int16(let numbers): (.int16, bytes(numbers))
        case .int32(let numbers): (.int32, bytes(numbers))
        }
    }

    public static func encode(_ doubles: [Double]) -> [UInt8] { bytes(doubles.map(\.bitPattern)) }

    private static func bytes<T: FixedWidthInteger>(_ numbers: [T]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(numbers.count * MemoryLayout<T>.size)
        for number in numbers {
            withUnsafeBytes(of: number.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The stored numbers as doubles; nil when the bytes do not fit the storage.
    public static func decode(_ bytes: [UInt8], storage: Storage) -> [Double]? {
        func read<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Double) -> [Double]? {
            let size = MemoryLayout<T>.size
            guard bytes.count % size == 0 else { return nil }
            return bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / size)).map { convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self))) }
            }
        }
        switch storage {
        case .float32: return read(UInt32.self) { Double(Float(bitPattern: $0)) }
        case .float64: return read(UInt64.self) { Double(bitPattern: $0) }
        case .int16: return read(Int16.self) { Double($0) }
        case .int32: return read(Int32.self) { Double($0) }
        }
    }
}
