import ROOTIO

/// The tree of one ME kind: its FullName branch (std::string per entry) and Value branch (the histogram,
/// unsplit). ROOT stores the Value branch either as a TBranchElement — the histogram streamed member-wise at
/// the class version the branch records — or as a TBranchObject — the histogram with its own version header,
/// after its class name when the leaf is virtual.
struct MonitorElementTree: Sendable {
    enum ValueLayout: Sendable {
        case memberWise(version: Int16)
        case wholeObject(prefixedByClassName: Bool)
    }

    let kind: MonitorElementKind
    let entries: Int64
    let names: Branch
    let values: Branch
    let layout: ValueLayout

    init(_ kind: MonitorElementKind, in file: DQMIOFile) throws {
        let tree = try file.tree(kind)
        self.kind = kind
        entries = tree.entries
        names = try file.root.attributing { try tree.branch("FullName") }
        values = try file.root.attributing { try tree.branch("Value") }
        switch values.content {
        case .element(let className, let version, let id) where className == kind.name && id == -1:
            layout = .memberWise(version: version)
        case .object(let className, let virtual) where className == kind.name:
            layout = .wholeObject(prefixedByClassName: virtual)
        default:
            throw DQMIOError(.layout, "tree \(kind.treeName): Value branch is a \(values.className) holding \(values.content), expected an unsplit \(kind.name)", path: file.path)
        }
    }

    func readName(_ reader: inout EntryReader, _ entry: Int64) throws -> String {
        let (cursor, end) = try ROOTError.framed("tree \(kind.treeName)") { try reader.entry(entry) }
        return try decodeName(cursor, end: end, entry: entry)
    }

    func decodeName(_ start: Cursor, end: Int, entry: Int64) throws -> String {
        var cursor = start
        let name = try cursor.string()
        guard cursor.index == end else {
            throw cursor.error(.mismatch, "FullName entry \(entry) has \(end - cursor.index) bytes after its string")
        }
        return name
    }

    func decodeValue(_ start: Cursor, end: Int, entry: Int64) throws -> HistogramObject {
        var cursor = start
        let histogram = try ROOTError.framed("tree \(kind.treeName), entry \(entry)") {
            switch layout {
            case .memberWise(let version):
                return try HistogramObject.decodeMembers(&cursor, className: kind.name, version: version)
            case .wholeObject(let prefixed):
                if prefixed {
                    let length = Int(try cursor.u8())
                    let className = String(decoding: try cursor.bytes(length), as: UTF8.self)
                    guard try cursor.u8() == 0, className == kind.name else {
                        throw cursor.error(.malformed, "entry holds a \"\(className)\", expected a \(kind.name)")
                    }
                }
                return try HistogramObject.decode(&cursor, className: kind.name)
            }
        }
        guard cursor.index == end else {
            throw cursor.error(.mismatch, "tree \(kind.treeName) entry \(entry): \(kind.name) ends \(end - cursor.index) bytes before the entry does")
        }
        return histogram
    }
}
