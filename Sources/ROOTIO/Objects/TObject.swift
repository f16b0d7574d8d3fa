/// TObject's streamed members (core/base/src/TObject.cxx, `TObject::Streamer`): version, fUniqueID, fBits,
/// and a process-id word when fBits has kIsReferenced.
public struct TObjectMembers: Sendable {
    public let uniqueID: UInt32
    public let bits: UInt32

    public init(from cursor: inout Cursor) throws {
        _ = try cursor.versionHeader("TObject")
        uniqueID = try cursor.u32()
        bits = try cursor.u32()
        if bits & StreamingConstants.isReferenced != 0 {
            try cursor.skip(2)  // pidf
        }
    }
}

/// TNamed: a TObject with a name and a title (core/base/src/TNamed.cxx).
public struct TNamed: Sendable {
    public let name: String
    public let title: String

    public init(from cursor: inout Cursor) throws {
        let header = try cursor.versionHeader("TNamed")
        _ = try TObjectMembers(from: &cursor)
        name = try cursor.string()
        title = try cursor.string()
        try cursor.expectEnd(of: header, "TNamed")
    }

    /// Checks and moves past a TNamed whose name and title are not needed (a histogram's and its axes').
    static func skip(_ cursor: inout Cursor) throws {
        let header = try cursor.versionHeader("TNamed")
        _ = try TObjectMembers(from: &cursor)
        try cursor.skipString()
        try cursor.skipString()
        try cursor.expectEnd(of: header, "TNamed")
    }
}
