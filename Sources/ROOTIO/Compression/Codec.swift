/// The compression algorithms of ROOT's block headers (core/zip/inc/Compression.h, RZip.h).
public enum Codec: String, Sendable, CaseIterable, Comparable {
    case zlib = "ZLIB"
    case lzma = "LZMA"
    case lz4 = "LZ4"
    case zstd = "ZSTD"
    case none = "none"

    /// The two magic bytes that open a compressed block.
    init?(magic: (UInt8, UInt8)) {
        switch magic {
        case (0x5A, 0x4C): self = .zlib  // "ZL"
        case (0x58, 0x5A): self = .lzma  // "XZ"
        case (0x4C, 0x34): self = .lz4  // "L4"
        case (0x5A, 0x53): self = .zstd  // "ZS"
        default: return nil
        }
    }

    /// ROOT's compression setting: algorithm × 100 + level (`ROOT::RCompressionSetting`); 0 means none and a
    /// bare level 1…9 means the default algorithm (ZLIB).
    public static func fromSetting(_ setting: Int32) -> (codec: Codec, level: Int) {
        let level = Int(setting % 100)
        if setting <= 0 || level == 0 { return (.none, 0) }
        switch setting / 100 {
        case 0, 1: return (.zlib, level)
        case 2: return (.lzma, level)
        case 4: return (.lz4, level)
        case 5: return (.zstd, level)
        default: return (.zlib, level)
        }
    }

    public static func < (lhs: Codec, rhs: Codec) -> Bool { lhs.rawValue < rhs.rawValue }
}
