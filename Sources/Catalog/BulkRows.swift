import NIOCore

/// Rows for `SQLConnection.bulkInsert`, prepared ahead of the load — on another thread, while the database takes
/// the rows before them — in the form the database takes fastest: COPY text for PostgreSQL, values for SQLite.
/// Formatting rows on the loader left the server idle while it ran: a COPY of a batch's rows is over in a few
/// milliseconds, so the loader and the server took turns instead of overlapping.
///
/// Each row's last column is left open and given at load time: a value only the loading transaction knows (the
/// ETL's monitor element ids).
public struct BulkRows: Sendable {
    public let dialect: SQLDialect
    /// PostgreSQL: each row's fields but the last, each followed by a tab; row i ends at `rowEnds[i]`.
    private(set) var text = ByteBuffer()
    private(set) var rowEnds: [Int] = []
    /// SQLite: each row's values but the last.
    private(set) var values: [SQLRow] = []

    public init(for dialect: SQLDialect) { self.dialect = dialect }

    public var count: Int { dialect == .postgres ? rowEnds.count : values.count }
    /// About the memory the rows hold: their COPY text, or their blobs' bytes.
    public private(set) var byteCount = 0
    public var isEmpty: Bool { count == 0 }

    /// Appends a row of all columns but the last.
    public mutating func append(_ row: SQLRow) {
        switch dialect {
        case .postgres:
            for value in row {
                CopyText.append(value, to: &text)
                text.writeInteger(UInt8(ascii: "\t"))
            }
            rowEnds.append(text.writerIndex)
            byteCount = text.writerIndex
        case .sqlite:
            values.append(row)
            for case .blob(let bytes) in row { byteCount += bytes.count }
        }
    }

    /// Empties the rows but keeps their memory, for the next batch: fresh buffers cost page faults and growth
    /// copies (11 % of the ETL reader thread's time for the bench file).
    public mutating func removeAll() {
        text.clear()
        rowEnds.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        byteCount = 0
    }

    /// Throws unless the rows were prepared for `dialect` and `last` has a value for each.
    func check(last: [Int64], table: String, dialect: SQLDialect) throws {
        guard self.dialect == dialect, last.count == count else {
            throw CatalogError("bulk insert into \(table): \(count) rows prepared for \(self.dialect), \(last.count) last values, database \(dialect)")
        }
    }

    /// COPY text of rows from `next` on, each completed with its last column from `last`, appended to `buffer`
    /// until it holds `limit` bytes or the rows run out; `next` moves past the rows written.
    func copyText(from next: inout Int, last: [Int64], into buffer: inout ByteBuffer, limit: Int) {
        var start = next == 0 ? 0 : rowEnds[next - 1]
        while next < rowEnds.count, next < last.count, buffer.readableBytes < limit {
            let end = rowEnds[next]
            _ = text.withUnsafeReadableBytes { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
            buffer.writeString(String(last[next]))
            buffer.writeInteger(UInt8(ascii: "\n"))
            start = end
            next += 1
        }
    }
}
