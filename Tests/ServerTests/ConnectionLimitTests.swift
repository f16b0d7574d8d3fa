import Foundation
@testable import Server
import Testing
import TestSupport

/// A client cannot hold the server's connections (file descriptors) for ever: idle, header and body timeouts and
/// a connection cap, against the real server with timeouts of a second. Each wait is for an event (the server's
/// close, an answer) with a generous bound: a loaded machine may be slow, but a connection never closed never is.
struct ConnectionLimitTests {
    static let bound: Duration = .seconds(20)
    static let healthRequest = "GET /api/v1/health HTTP/1.1\r\nHost: test\r\n\r\n"

    /// `serve` over an empty catalog: these tests are about connections, not contents.
    static func serve(_ arguments: [String]) async throws -> RunningServer {
        let (_, url) = try await Backend.sqlite.makeDatabase()
        return try await RunningServer.serve(databaseURL: url, storage: try TemporaryFolder().url, extraArguments: arguments)
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let server = try await Self.serve(["--idle-timeout", "1", "--header-timeout", "60", "--body-timeout", "60"])
        defer { server.stop() }
        let started = ContinuousClock.now
        let silent = try RawConnection(server.url)
        #expect(await silent.waitForClose(within: Self.bound), "a connection that never sends is closed")
        #expect(ContinuousClock.now - started >= .milliseconds(900), "not before its timeout")

        // After an answered request the connection is idle again, and closed in turn.
        let used = try RawConnection(server.url)
        try used.send(Self.healthRequest)
        #expect(await used.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(await used.waitForClose(within: Self.bound))
    }

    @Test func aRequestHeadThatNeverEndsIsClosedAfterTheHeaderTimeout() async throws {
        // The idle timeout (60 s) would close it too, but only long after the bound.
        let server = try await Self.serve(["--idle-timeout", "60", "--header-timeout", "1"])
        defer { server.stop() }
        let halfOpen = try RawConnection(server.url)
        try halfOpen.send("GET / HTTP/1.1\r\n")
        #expect(await halfOpen.waitForClose(within: Self.bound), "a head without its end is closed")
        let silent = try RawConnection(server.url)
        #expect(await silent.waitForClose(within: Self.bound), "a new connection's first head is due as soon as it opens")

        // A whole request is served, and the idle connection after it outlives the header timeout.
        let whole = try RawConnection(server.url)
        try whole.send(Self.healthRequest)
        #expect(await whole.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(await whole.staysSilent(for: .seconds(3)), "after a request only the idle timeout applies")
        try whole.send(Self.healthRequest)
        #expect(await whole.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
    }

    @Test func aBodyThatNeverEndsIsClosedAfterTheBodyTimeout() async throws {
        let server = try await Self.serve(["--idle-timeout", "60", "--header-timeout", "60", "--body-timeout", "1"])
        defer { server.stop() }
        let slow = try RawConnection(server.url)
        try slow.send("POST /login HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken=")
        #expect(await slow.waitForClose(within: Self.bound), "a body that stops short is closed")
    }

    @Test func beyondTheCapNewConnectionsWaitUntilOneCloses() async throws {
        let server = try await Self.serve(["--max-connections", "2"])
        defer { server.stop() }
        // Two connections, each answered once: both are accepted and held open (keep-alive).
        let first = try RawConnection(server.url)
        let second = try RawConnection(server.url)
        for connection in [first, second] {
            try connection.send(Self.healthRequest)
            #expect(await connection.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
        }
        // The third connects (the kernel's backlog holds it) and asks, but is not served…
        let third = try RawConnection(server.url)
        try third.send(Self.healthRequest)
        // …while the server still answers the two it holds, after the third's request was sent.
        try first.send(Self.healthRequest)
        #expect(await first.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(await third.staysSilent(for: .seconds(1)), "a third connection is not served while two are open")
        // Once one closes, the waiting one is accepted and answered.
        first.close()
        #expect(await third.readResponse(within: Self.bound)?.hasPrefix("HTTP/1.1 200") == true)
    }

    @Test func nonsenseLimitsAndPublicURLsAreUsageErrors() async throws {
        let folder = try TemporaryFolder().url
        let common = ["serve", "--port", "0", "--database", "sqlite://\(folder.path)/catalog.sqlite"]
        for (arguments, environment, named) in [
            (["--idle-timeout", "0"], [:], "--idle-timeout"), (["--header-timeout", "nan"], [:], "--header-timeout"),
            (["--body-timeout", "-1"], [:], "--body-timeout"), (["--max-connections", "0"], [:], "--max-connections"),
            (["--auth-failures", "0"], [:], "--auth-failures"), (["--public-url", "ftp://mlp.example.org"], [:], "ftp"),
            (["--public-url", "mlp.example.org"], [:], "mlp.example.org"), ([], ["MLP_PUBLIC_URL": "https://"], "no host"),
        ] as [([String], [String: String], String)] {
            let outcome = try await Binary.run(common + arguments, environment: environment, directory: folder)
            #expect(outcome.status == 64 && outcome.stderr.contains(named), "\(arguments) \(environment): \(outcome.status) \(outcome.stderr)")
        }
    }

    /// The deadlines' state machine alone: which timer each event arms.
    @Test func deadlinesArmTheHeaderTimerOnOpeningAndFirstBytesAndTheBodyTimerOnTheHead() {
        var deadlines = RequestDeadlines(headerTimeout: .seconds(10), bodyTimeout: .seconds(30))
        #expect(!deadlines.shouldCloseOnTimer())
        #expect(deadlines.connectionOpened() == .arm(.seconds(10)), "a new connection's first head is due")
        #expect(deadlines.bytesArrived() == .none, "its bytes keep that deadline")
        #expect(deadlines.shouldCloseOnTimer())
        #expect(deadlines.headReceived() == .arm(.seconds(30)))
        #expect(deadlines.bytesArrived() == .none, "body bytes keep the body's deadline")
        #expect(deadlines.shouldCloseOnTimer())
        #expect(deadlines.endReceived() == .disarm)
        #expect(!deadlines.shouldCloseOnTimer(), "between requests a late timer closes nothing")
        #expect(deadlines.bytesArrived() == .arm(.seconds(10)), "the next request's first bytes start its head's deadline")
    }
}
