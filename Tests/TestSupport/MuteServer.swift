import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake PostgreSQL server on 127.0.0.1 that lets every client in — declines TLS, asks no password, says it is
/// ready (protocol 3.0: AuthenticationOk, BackendKeyData, ReadyForQuery) — and then never answers a query: what a
/// wedged server looks like once connected. Closed when released.
public final class MuteServer: Sendable {
    public let port: Int
    private let descriptor: Int32
    private let clients = Clients()

    /// The accepted connections, kept open (and unread) until the server goes.
    private final class Clients: Sendable {
        let descriptors = Mutex<[Int32]>([])
    }

    public init() throws {
        (descriptor, port) = try SilentListener.listeningSocket()
        // One thread blocked in accept(), a test helper's; it ends with the listener (shutdown wakes accept()).
        Thread { [descriptor, clients] in
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                clients.descriptors.withLock { $0.append(client) }
                Self.letIn(client)
            }
        }.start()
    }

    deinit {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        clients.descriptors.withLock { for client in $0 { close(client) } }
    }

    /// Reads the startup message (after an SSLRequest, answered "N"), answers as a server that trusts everyone.
    private static func letIn(_ client: Int32) {
        while let message = receiveMessage(client) {
            if message == [0x04, 0xD2, 0x16, 0x2F] {  // SSLRequest (80877103): no TLS here
                guard transmit(client, [UInt8(ascii: "N")]) else { return }
                continue
            }
            let ready: [UInt8] = [UInt8(ascii: "R"), 0, 0, 0, 8, 0, 0, 0, 0]  // AuthenticationOk
                + [UInt8(ascii: "K"), 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2]  // BackendKeyData
                + [UInt8(ascii: "Z"), 0, 0, 0, 5, UInt8(ascii: "I")]  // ReadyForQuery, idle
            _ = transmit(client, ready)
            return  // and never read the queries
        }
    }

    /// A length-prefixed message without its length, nil at the end of the stream.
    private static func receiveMessage(_ client: Int32) -> [UInt8]? {
        guard let header = receive(client, 4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard (4...10_000).contains(length) else { return nil }
        return receive(client, length - 4)
    }

    private static func receive(_ client: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { recv(client, $0 + done, count - done, 0) } ?? -1
            }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private static func transmit(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)  // a client gone must not kill the test process
        #else
        let flags: Int32 = 0
        #endif
        return send(client, bytes, bytes.count, flags) == bytes.count
    }
}
