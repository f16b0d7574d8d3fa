/// The framing TBufferFile puts around streamed objects (core/io/src/TBufferFile.cxx):
///
/// | what            | bytes | rule                                                                 |
/// |-----------------|-------|----------------------------------------------------------------------|
/// | byte count      | 4     | `count | kByteCountMask` (0x40000000): bytes that follow this word     |
/// | version         | 2     | class version; bit 0x4000 marks member-wise streaming               |
/// | object pointer  | 4+4   | byte count, then a tag: 0 null, `kNewClassTag` (0xFFFFFFFF) + class  |
/// |                 |       | name, `kClassMask` (0x80000000) + position of an earlier class name, |
/// |                 |       | or (no class bit) the position of an earlier object                  |
///
/// Positions in tags are offsets in ROOT's write buffer plus `kMapOffset` (2).
public struct VersionHeader: Sendable {
    public let version: Int16
    /// Index where the header started.
    public let start: Int
    /// Index just past the object, when a byte count was written.
    public let end: Int?
}

public enum ObjectTag: Sendable {
    case null
    /// A pointer to an object already read from this buffer (not resolved: DQMIO never needs one).
    case reference(Int)
    /// A new object of `className`; `end` is where it stops when a byte count was written.
    case object(className: String, end: Int?)
}

enum StreamingConstants {
    static let byteCountMask: UInt32 = 0x4000_0000
    static let newClassTag: UInt32 = 0xFFFF_FFFF
    static let classMask: UInt32 = 0x8000_0000
    static let mapOffset = 2
    static let memberWiseBit: Int16 = 0x4000
    /// TObject's fBits flag saying a process id follows (TObject.h: kIsReferenced = BIT(4)).
    static let isReferenced: UInt32 = 1 << 4
}

extension Cursor {
    /// `TBufferFile::ReadVersion`: an optional byte count, then the version.
    public mutating func versionHeader(_ className: String) throws -> VersionHeader {
        let start = index
        let word = try u32()
        var end: Int?
        if word & StreamingConstants.byteCountMask != 0 {
            let count = Int(word & ~StreamingConstants.byteCountMask)
            guard count >= 2, count <= chunk.count - index else {
                throw error(.malformed, "\(className) byte count \(count) does not fit the \(chunk.count)-byte record", at: start)
            }
            end = index + count
        } else {
            index = start
        }
        let version = try i16()
        if version & StreamingConstants.memberWiseBit != 0 {
            throw error(.unsupported, "member-wise streaming of \(className) (version word \(version))", at: start)
        }
        return VersionHeader(version: version, start: start, end: end)
    }

    /// Requires the object to have consumed exactly its byte count (groot `CheckHeader`).
    public func expectEnd(of header: VersionHeader, _ className: String) throws {
        guard let end = header.end else { return }
        guard index == end else {
            throw error(.mismatch, "\(className) v\(header.version) read \(index - header.start) bytes, its byte count says \(end - header.start)", at: header.start)
        }
    }

    /// Steps over the rest of an object whose members are not needed.
    public mutating func skipToEnd(of header: VersionHeader, _ className: String) throws {
        guard let end = header.end else {
            throw error(.unsupported, "cannot skip \(className) v\(header.version): no byte count", at: header.start)
        }
        guard end >= index else {
            throw error(.mismatch, "\(className) read past its byte count", at: header.start)
        }
        index = end
    }

    /// Skips a whole versioned object (header included).
    public mutating func skipVersioned(_ className: String) throws {
        let header = try versionHeader(className)
        try skipToEnd(of: header, className)
    }

    /// `TBufferFile::ReadObjectAny` framing, up to (not including) the object's own version header.
    public mutating func objectTag() throws -> ObjectTag {
        let start = index
        let first = try u32()
        var tag = first
        var end: Int?
        if first & StreamingConstants.byteCountMask != 0 && first != StreamingConstants.newClassTag {
            let count = Int(first & ~StreamingConstants.byteCountMask)
            guard count >= 4, count <= chunk.count - index else {
                throw error(.malformed, "object byte count \(count) does not fit the \(chunk.count)-byte record", at: start)
            }
            end = index + count
            tag = try u32()
        }
        if tag & StreamingConstants.classMask == 0 {
            return tag == 0 ? .null : .reference(Int(tag))
        }
        let tagPosition = index - 4
        let className: String
        if tag == StreamingConstants.newClassTag {
            className = try cString()
            classTags[tagPosition + refOrigin + StreamingConstants.mapOffset] = className
        } else {
            let reference = Int(tag & ~StreamingConstants.classMask)
            guard let known = classTags[reference] else {
                throw error(.malformed, "class reference \(reference) points at no class read before", at: tagPosition)
            }
            className = known
        }
        return .object(className: className, end: end)
    }

    /// Steps over an object pointer's target, whatever its class.
    public mutating func skipObject() throws {
        let start = index
        if case .object(let className, let end) = try objectTag() {
            guard let end else {
                throw error(.unsupported, "cannot skip a \(className) written without a byte count", at: start)
            }
            index = end
        }
    }
}
