import Synchronization

/// Which SQL texts SQLite's connections keep compiled. GRDB's statement cache never forgets one, and texts with
/// id lists written in (the matches of an ME filter) vary without end: only the first `limit` distinct texts are
/// cached, later ones are compiled at each use. The API's usual texts come first and stay. (PostgreSQL's prepared
/// statements have the same bound: `PreparedStatements`.)
final class CachedStatementTexts: Sendable {
    private let texts = Mutex<Set<String>>([])
    let limit: Int

    init(limit: Int = 128) { self.limit = limit }

    /// Whether `sql` is, or now becomes, one of the cached texts.
    func admits(_ sql: String) -> Bool {
        texts.withLock { texts in
            if texts.contains(sql) { return true }
            guard texts.count < limit else { return false }
            texts.insert(sql)
            return true
        }
    }

    var count: Int { texts.withLock { $0.count } }
}
