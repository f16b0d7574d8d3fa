import CCompression
import ROOTIO

extension HistogramBlob {
    /// Encodes contents on one thread, reusing its compression state: a fresh zstd context per histogram
    /// (ZSTD_compress) spent more time setting up its tables than compressing the few kB of a histogram.
    public final class Encoder {
        private let zstd: OpaquePointer?
        private var lz4State = [UInt8](repeating: 0, count: Int(LZ4_sizeofState()))
        /// zstd's fastest regular level: the loader must keep ahead of the database, and higher levels gain little.
        private static let zstdLevel: Int32 = 1
        /// Below this many bytes, LZ4: zstd's fixed cost per frame is most of its time on small contents (a
        /// 100-bin TH1F compresses at 70 MB/s with zstd, 370 MB/s with LZ4, and only ~10 % larger).
        private static let smallContents = 4096

        public init() { zstd = ZSTD_createCCtx() }
        deinit { ZSTD_freeCCtx(zstd) }

        /// The stored code and bytes of `values`: packed whole numbers when they all are (counts, as most contents
        /// are), otherwise shuffled and compressed.
        public func encode(_ values: BinStorage) -> (code: Int64, bytes: [UInt8]) {
            if let packed = packed(values) { return packed }
            return switch values {
            case .float32(let numbers):
                numbers.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt32.self) { encode($0, as: .float32) } }
            case .float64(let numbers):
                numbers.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt64.self) { encode($0, as: .float64) } }
            case .int16(let numbers): numbers.withUnsafeBufferPointer { encode($0, as: .int16) }
            case .int32(let numbers): numbers.withUnsafeBufferPointer { encode($0, as: .int32) }
            }
        }

        /// `values` packed by `PackedIntegers`; nil when one is not a whole 32-bit number (or is −0.0, which would
        /// read back as 0.0) or when packing is not smaller than the plain bytes.
        private func packed(_ values: BinStorage) -> (code: Int64, bytes: [UInt8])? {
            let storage: Storage, wholeNumbers: [Int32]?
            switch values {
            case .float32(let numbers):
                storage = .float32
                wholeNumbers = Self.smallWholeNumbers(numbers) ?? Self.wholeNumbers(numbers, Self.whole)
            case .float64(let numbers):
                storage = .float64
                wholeNumbers = Self.wholeNumbers(numbers, Self.whole)
            case .int16(let numbers): storage = .int16; wholeNumbers = Self.wholeNumbers(numbers) { Int32($0) }
            case .int32(let numbers): storage = .int32; wholeNumbers = Self.wholeNumbers(numbers) { $0 }
            }
            guard let bytes = wholeNumbers?.withUnsafeBufferPointer({ PackedIntegers.pack($0) }),
                  bytes.count < values.count * values.elementSize else { return nil }
            return (HistogramBlob.code(storage, .packedIntegers), bytes)
        }

        /// `number` as a whole 32-bit number; nil for fractions, NaN, infinities, numbers beyond Int32's range, and
        /// −0.0 (which would read back as 0.0).
        private static func whole<Number: BinaryFloatingPoint>(_ number: Number) -> Int32? {
            number == 0 && number.sign == .minus ? nil : Int32(exactly: number)
        }

        /// `numbers` as whole numbers if all are below 2²² in magnitude (counts nearly always are), else nil. The
        /// loop has no branch and no checked conversion, so it is vectorized (most contents go through it, and the
        /// general loop below cost 2.5 ns a number): adding 1.5 × 2²³ puts a whole number below 2²² in magnitude
        /// into the low mantissa bits, exactly, and subtracting it back restores the very same bits only for such a
        /// number (not for fractions, −0.0, NaN or larger numbers, which the magnitude test also turns down).
        private static func smallWholeNumbers(_ numbers: [Float]) -> [Int32]? {
            let magic: Float = 12_582_912, limit: Float = 4_194_304
            var refused: UInt32 = 0
            let converted = [Int32](unsafeUninitializedCapacity: numbers.count) { out, filled in
                numbers.withUnsafeBufferPointer { source in
                    for index in source.indices {
                        let number = source[index]
                        let shifted = number + magic
                        refused |= (shifted - magic).bitPattern ^ number.bitPattern
                        refused |= number.magnitude < limit ? 0 : 1
                        out[index] = Int32(bitPattern: shifted.bitPattern &- magic.bitPattern)
                    }
                }
                filled = numbers.count
            }
            return refused == 0 ? converted : nil
        }

        /// `numbers` as whole numbers; nil at the first that `whole` turns down.
        @inline(__always)
        private static func wholeNumbers<T>(_ numbers: [T], _ whole: (T) -> Int32?) -> [Int32]? {
            var allWhole = true
            let converted = [Int32](unsafeUninitializedCapacity: numbers.count) { out, filled in
                numbers.withUnsafeBufferPointer { source in
                    for index in source.indices {
                        guard let value = whole(source[index]) else {
                            allWhole = false
                            return
                        }
                        out[index] = value
                    }
                }
                filled = allWhole ? numbers.count : 0
            }
            return allWhole ? converted : nil
        }

        private func encode<T: FixedWidthInteger>(_ numbers: UnsafeBufferPointer<T>, as storage: Storage) -> (code: Int64, bytes: [UInt8]) {
            let plainSize = numbers.count * MemoryLayout<T>.size
            let shuffled = HistogramBlob.bytes(numbers, shuffled: true)
            let codec: Codec = plainSize < Self.smallContents ? .shuffledLZ4 : .shuffledZstd
            if let packed = codec == .shuffledLZ4 ? lz4(shuffled) : zstd(shuffled), packed.count < plainSize {
                return (HistogramBlob.code(storage, codec), packed)
            }
            return (HistogramBlob.code(storage, .plain), HistogramBlob.bytes(numbers, shuffled: false))
        }

        /// A zstd frame; nil when there is no context or zstd fails (the caller stores the plain bytes).
        private func zstd(_ bytes: [UInt8]) -> [UInt8]? {
            guard let zstd else { return nil }
            let bound = ZSTD_compressBound(bytes.count)
            return compressed(capacity: bound) { out in
                let result = bytes.withUnsafeBytes { ZSTD_compressCCtx(zstd, out.baseAddress, bound, $0.baseAddress, $0.count, Self.zstdLevel) }
                return ZSTD_isError(result) == 0 ? result : 0
            }
        }

        /// The size (4 bytes, little-endian), then an LZ4 block; nil when LZ4 fails.
        private func lz4(_ bytes: [UInt8]) -> [UInt8]? {
            guard bytes.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
            let bound = Int(LZ4_compressBound(Int32(bytes.count)))
            return compressed(capacity: 4 + bound) { out in
                for index in 0..<4 { out[index] = UInt8(truncatingIfNeeded: bytes.count >> (8 * index)) }
                let written = bytes.withUnsafeBytes { source in
                    lz4State.withUnsafeMutableBytes { state in
                        out.withMemoryRebound(to: CChar.self) { target in
                            LZ4_compress_fast_extState(state.baseAddress, source.baseAddress?.assumingMemoryBound(to: CChar.self),
                                                       target.baseAddress.map { $0 + 4 }, Int32(bytes.count), Int32(bound), 1)
                        }
                    }
                }
                return written > 0 ? 4 + Int(written) : 0
            }
        }

        /// Up to `capacity` bytes written by `compress`, which returns how many (0 on failure); nil on failure.
        private func compressed(capacity: Int, _ compress: (UnsafeMutableBufferPointer<UInt8>) -> Int) -> [UInt8]? {
            let packed = [UInt8](unsafeUninitializedCapacity: capacity) { out, filled in filled = compress(out) }
            return packed.isEmpty ? nil : packed
        }
    }
}
