import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP connection to the server driven byte by byte, for what URLSession cannot do: hold a connection open and
/// silent, send half a request, set any Host header, see the server close it. Waits are for an event (bytes, the
/// server's close) with an upper bound, in `poll`, on a thread of their own so the test's executor stays free.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32
    /// Everything read so far.
    private(set) var received = Data()
    private var closed = false

    /// Connects to `http://ip:port` (the address `RunningServer` was told).
    init(_ url: String) throws {
        guard let match = url.firstMatch(of: /^http:\/\/([0-9.]+):([0-9]+)/), let port = UInt16(match.2) else {
            throw ServerError("not an http://ip:port address: \(url)")
        }
        socket = openStreamSocket()
        guard socket >= 0 else { throw ServerError("socket(): errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, String(match.1), &address.sin_addr) == 1 else { throw ServerError("bad IP in \(url)") }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let error = errno
            closeDescriptor(socket)
            throw ServerError("connect to \(url): errno \(error)")
        }
    }

    deinit { close() }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { sendBytes(socket, $0) }
            guard count > 0 else { throw ServerError("send: errno \(errno)") }
            sent += count
        }
    }

    func close() {
        if !closed { closeDescriptor(socket) }
        closed = true
    }

    /// Reads until the server closes the connection (true: read returned EOF, or the connection was reset) or
    /// `bound` passes (false).
    func waitForClose(within bound: Duration) async -> Bool {
        await readUntil(bound) { _ in false } == .closed
    }

    /// Reads until `received` holds a whole answer (head and `Content-Length` body) and returns its text; nil when
    /// none came within `bound`.
    func readResponse(within bound: Duration) async -> String? {
        let outcome = await readUntil(bound) { data in Self.completeResponseLength(data) != nil }
        guard outcome == .satisfied, let length = Self.completeResponseLength(received) else { return nil }
        let text = String(decoding: received.prefix(length), as: UTF8.self)
        received.removeFirst(length)
        return text
    }

    /// True when nothing arrives for `span`: the one wait here that expects no event, so its bound is its length.
    func staysSilent(for span: Duration) async -> Bool {
        let before = received.count
        return await readUntil(span) { _ in false } == .timedOut && received.count == before
    }

    private enum Outcome { case satisfied, closed, timedOut }

    private func readUntil(_ bound: Duration, _ done: @escaping @Sendable (Data) -> Bool) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.blockingRead(bound, done)) }
        }
    }

    private func blockingRead(_ bound: Duration, _ done: (Data) -> Bool) -> Outcome {
        let deadline = ContinuousClock.now + bound
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if done(received) { return .satisfied }
            let left = deadline - .now
            guard left > .zero else { return .timedOut }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15, 60_000).rounded(.up))
            let ready = poll(&descriptor, 1, max(milliseconds, 1))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }  // timed out this round: the deadline check above ends it
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno == ECONNRESET {
                return done(received) ? .satisfied : .closed
            } else if errno != EINTR && errno != EAGAIN {
                return .closed
            }
        }
    }

    /// The length of the first whole answer in `data` (its head and `Content-Length` bytes), nil while incomplete.
    static func completeResponseLength(_ data: Data) -> Int? {
        guard let end = data.firstRange(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).lowercased()
        let length = head.firstMatch(of: /\r\ncontent-length: *([0-9]+)/).flatMap { Int($0.1) } ?? 0
        let total = end.upperBound - data.startIndex + length
        return data.count >= total ? total : nil
    }
}

// The C calls, outside the class, whose `socket`, `send` and `close` members would hide them.
private func openStreamSocket() -> Int32 {
    #if canImport(Glibc)
    socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

private func sendBytes(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if canImport(Glibc)
    send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))  // a closed peer is an error, not SIGPIPE
    #else
    send(descriptor, bytes.baseAddress, bytes.count, 0)
    #endif
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
