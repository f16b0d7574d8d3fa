import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL server is, as messages name it (`host:port` or `socket /dir/.s.PGSQL.5432`; never the
/// user or password), and the first connection to it.
struct PostgresEndpoint: Sendable, CustomStringConvertible {
    let host: String
    let port: Int
    let socketPath: String?

    var description: String {
        if let socketPath { return "socket \(socketPath)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Connects once with the pool's settings and runs `SELECT 1`, all within `timeout` seconds. postgres-nio
    /// bounds connecting, TLS and authentication by `connectTimeout`; the query is bounded here. `rootCertificate`
    /// (sslrootcert) only names the CA file in a message.
    func probe(user: String, password: String?, database: String, tls: TLSConfiguration?, requireTLS: Bool,
               rootCertificate: String?, timeout: Int, logger: Logger) async throws {
        let deadline = NIODeadline.now() + .seconds(Int64(timeout))
        func failure(_ reason: Reason) -> CatalogError {
            let (text, code): (String, CatalogError.Code) = switch reason {
            case .timedOut(let what): (" within \(timeout) s: \(what)", .unreachable)
            case .failed(let what): (": \(what)", .unreachable)
            case .refused(let what): (": \(what)", .other)
            }
            return CatalogError("cannot connect to PostgreSQL at \(self)\(text)", code: code)
        }
        func reason(_ error: any Error) -> Reason { self.reason(error, rootCertificate: rootCertificate) }
        var configuration = socketPath.map {
            PostgresConnection.Configuration(unixSocketPath: $0, username: user, password: password, database: database)
        } ?? PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        if let tls {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: tls)
            } catch {
                throw CatalogError("PostgreSQL at \(self): TLS settings (sslmode, sslrootcert) unusable: \(error)")
            }
            configuration.tls = requireTLS ? .require(context) : .prefer(context)
        }
        configuration.options.connectTimeout = .seconds(Int64(timeout))
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw failure(reason(error))
        }
        // The deadline is kept on the connection's event loop, as postgres-nio keeps the connect deadline: a task
        // pool too busy to run us (a whole `swift test` starting at once stalled it 5 s) cannot make an answer that
        // came in time look late.
        let answer = connection.simpleQuery("SELECT 1")
        let expired = NIOLockedValueBox(false)  // set before the close that fails the query
        let timer = connection.eventLoop.scheduleTask(deadline: deadline) {
            expired.withLockedValue { $0 = true }
            connection.close().whenComplete { _ in }
        }
        answer.whenComplete { _ in timer.cancel() }
        do {
            _ = try await answer.get()
        } catch {
            try? await connection.close()
            throw failure(expired.withLockedValue { $0 } ? .timedOut("no answer to SELECT 1") : reason(error))
        }
        try? await connection.close()
    }

    enum Reason {
        case timedOut(String)
        /// The network, TLS, or a server not ready yet: may pass on another attempt.
        case failed(String)
        /// The server said no for good (a wrong password, no such database): trying again would not help.
        case refused(String)
    }

    /// SQLSTATEs of a server that may let us in later: starting up or shutting down (57P0x), too many
    /// connections (53300), connection exceptions (08xxx).
    static func isTransient(_ state: String) -> Bool {
        state.hasPrefix("57P0") || state == "53300" || state.hasPrefix("08")
    }

    /// One line for a connection failure: the server's message, or the network's, never postgres-nio's generic text.
    func reason(_ error: any Error, rootCertificate: String?) -> Reason {
        guard let error = error as? PSQLError else { return .failed("\(error)") }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState] ?? ""
            let text = "\(message) (SQLSTATE \(state))"
            return Self.isTransient(state) ? .failed(text) : .refused(text)
        }
        if error.code == .sslUnsupported { return .failed("the server does not offer TLS, which sslmode requires") }
        if let channel = error.underlying as? ChannelError, case .connectTimeout = channel { return .timedOut("no answer") }
        if let tls = error.underlying as? NIOSSLExtraError, tls == .failedToValidateHostname {
            return .failed("the server's certificate does not name \(host) (sslmode=verify-full checks the host name)")
        }
        let underlying = error.underlying.map { "\($0)" } ?? "\(error.code)"
        // BoringSSL's text names the check that failed, deep in a nested description.
        if underlying.contains("CERTIFICATE_VERIFY_FAILED") {
            return .failed("the server's certificate is not signed by a CA in \(rootCertificate ?? "the system's trust store") "
                           + "(sslrootcert): \(underlying)")
        }
        return .failed(underlying)
    }
}
