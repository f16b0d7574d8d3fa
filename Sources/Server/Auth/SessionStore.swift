import Foundation

/// Browser sessions of users who signed in with a token: a random session id in an HttpOnly cookie, and a
/// per-session CSRF token the UI sends back in a header (or form field) with every write. Held in memory: a
/// restart signs everyone out, which is acceptable for a tool whose writes are "index now".
actor SessionStore {
    struct Session: Sendable {
        let id: String
        let csrfToken: String
        let expires: Date
    }

    static let cookieName = "mlp_session"
    static let lifetime: TimeInterval = 12 * 3600

    private var sessions: [String: Session] = [:]

    func create() -> Session {
        let now = Date()
        sessions = sessions.filter { $0.value.expires > now }
        let session = Session(id: Self.randomToken(), csrfToken: Self.randomToken(), expires: now.addingTimeInterval(Self.lifetime))
        sessions[session.id] = session
        return session
    }

    func session(_ id: String?) -> Session? {
        guard let id, let session = sessions[id], session.expires > Date() else { return nil }
        return session
    }

    func end(_ id: String?) {
        if let id { sessions[id] = nil }
    }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }
}
