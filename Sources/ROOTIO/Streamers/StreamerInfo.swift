/// The file's own class descriptions: the TList of TStreamerInfo at fSeekInfo (io/io/src/TStreamerInfo.cxx,
/// core/meta/src/TStreamerElement.cxx). This reader decodes the classes DQMIO needs with hand-written
/// decoders dispatched on (class, version); the streamer infos say which versions a file holds, so an
/// unknown version is refused by name before any of its bytes are misread.
public struct StreamerInfo: Sendable {
    public struct Element: Sendable {
        public let name: String
        public let typeName: String
        /// TVirtualStreamerInfo::EReadWrite code (kInt = 3, kDouble = 8, kBase = 0, kObject = 61, …).
        public let type: Int32
    }

    public let className: String
    public let classVersion: Int32
    public let checksum: UInt32
    public let elements: [Element]
}

public struct StreamerInfoSet: Sendable {
    public let infos: [StreamerInfo]

    public func version(of className: String) -> Int32? {
        infos.first { $0.className == className }?.classVersion
    }

    /// Reads the streamer-info record of `file`.
    public static func read(from file: ROOTFile) throws -> StreamerInfoSet {
        try file.attributing {
            let key = try Key.read(at: file.header.seekInfo, from: file.source)
            var cursor = try key.payloadCursor(from: file.source)
            let infos = try ROOTError.framed("streamer infos") {
                try TListReader.read(from: &cursor) { cursor, className -> StreamerInfo? in
                    guard className == "TStreamerInfo" else { return nil }  // TList of schema rules, …
                    return try readInfo(&cursor)
                }
            }
            return StreamerInfoSet(infos: infos)
        }
    }

    private static func readInfo(_ cursor: inout Cursor) throws -> StreamerInfo {
        let header = try cursor.versionHeader("TStreamerInfo")
        let named = try TNamed(from: &cursor)
        let checksum = try cursor.u32()
        let classVersion = try cursor.i32()
        var elements: [StreamerInfo.Element] = []
        if case .object = try cursor.objectTag() {
            elements = try TObjArrayReader.read(from: &cursor) { cursor, _, className, end in
                let element = try readElement(&cursor, className: className)
                if let end { try cursor.seek(to: end) }
                return element
            }
        }
        try cursor.expectEnd(of: header, "TStreamerInfo")
        return StreamerInfo(className: named.name, classVersion: classVersion, checksum: checksum, elements: elements)
    }

    /// A TStreamerElement subclass: its own header, then the TStreamerElement base; the subclass tail is skipped
    /// by the caller through the byte count.
    private static func readElement(_ cursor: inout Cursor, className: String) throws -> StreamerInfo.Element {
        _ = try cursor.versionHeader(className)
        let base = try cursor.versionHeader("TStreamerElement")
        let named = try TNamed(from: &cursor)
        let type = try cursor.i32()
        _ = try cursor.i32()  // fSize
        _ = try cursor.i32()  // fArrayLength
        _ = try cursor.i32()  // fArrayDim
        if base.version == 1 {
            let count = try cursor.count(elementSize: 4, what: "fMaxIndex length")
            try cursor.skip(count * 4)
        } else {
            try cursor.skip(5 * 4)  // fMaxIndex[5]
        }
        let typeName = try cursor.string()
        try cursor.skipToEnd(of: base, "TStreamerElement")
        return StreamerInfo.Element(name: named.name, typeName: typeName, type: type)
    }
}
