/// Bin storage of one histogram, as the file holds it: TArrayF/D/S/I (core/cont/src/TArray*.cxx) stream as a
/// 4-byte count then the values, with no version header. One type for every kind, generic over the stored
/// element, instead of a copy per TH1F/S/D/I.
public enum BinStorage: Sendable, Equatable {
    case float32([Float])
    case float64([Double])
    case int16([Int16])
    case int32([Int32])

    public var count: Int {
        switch self {
        case .float32(let values): values.count
        case .float64(let values): values.count
        case .int16(let values): values.count
        case .int32(let values): values.count
        }
    }

    /// Bytes per stored number.
    public var elementSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64: 8
        case .int16: 2
        }
    }

    /// The stored number at `index` as the double ROOT's `RetrieveBinContent` gives.
    @inline(__always)
    public subscript(index: Int) -> Double {
        switch self {
        case .float32(let values): Double(values[index])
        case .float64(let values): values[index]
        case .int16(let values): Double(values[index])
        case .int32(let values): Double(values[index])
        }
    }

    enum Element { case float32, float64, int16, int32 }

    static func read(_ element: Element, from cursor: inout Cursor, what: String) throws -> BinStorage {
        switch element {
        case .float32: .float32(try cursor.f32Array(try cursor.count(elementSize: 4, what: what)))
        case .float64: .float64(try cursor.f64Array(try cursor.count(elementSize: 8, what: what)))
        case .int16: .int16(try cursor.i16Array(try cursor.count(elementSize: 2, what: what)))
        case .int32: .int32(try cursor.i32Array(try cursor.count(elementSize: 4, what: what)))
        }
    }
}

extension Cursor {
    /// A TArrayD member (fSumw2, fBinEntries, fXbins …).
    mutating func arrayD(_ what: String) throws -> [Double] {
        try f64Array(try count(elementSize: 8, what: what))
    }
}
