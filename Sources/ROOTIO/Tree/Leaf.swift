/// A TLeaf: the type of a branch's values (tree/tree/src/TLeaf.cxx). TLeaf v2: TNamed, fLen, fLenType (bytes
/// per value), fOffset, fIsRange, fIsUnsigned, fLeafCount pointer; subclasses (TLeafI, TLeafL, TLeafElement…)
/// add their own members, skipped by byte count, except TLeafObject's fVirtual.
public struct Leaf: Sendable {
    public let className: String
    public let name: String
    public let length: Int32
    public let bytesPerValue: Int32
    public let isUnsigned: Bool
    /// TLeafObject's fVirtual: entries start with their class name.
    public let isVirtual: Bool

    static func read(_ cursor: inout Cursor, className: String, end: Int?) throws -> Leaf {
        let own = try cursor.versionHeader(className)
        let base = try cursor.versionHeader("TLeaf")
        guard base.version >= 2 else {
            throw cursor.error(.unsupported, "TLeaf version \(base.version)", at: base.start)
        }
        let named = try TNamed(from: &cursor)
        let length = try cursor.i32()
        let bytesPerValue = try cursor.i32()
        _ = try cursor.i32()  // fOffset
        _ = try cursor.bool()  // fIsRange
        let isUnsigned = try cursor.bool()
        try cursor.skipObject()  // fLeafCount
        try cursor.expectEnd(of: base, "TLeaf")
        let isVirtual = className == "TLeafObject" ? try cursor.bool() : false
        try cursor.skipToEnd(of: own, className)
        return Leaf(className: className, name: named.name, length: length, bytesPerValue: bytesPerValue,
                    isUnsigned: isUnsigned, isVirtual: isVirtual)
    }
}
