import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with its idle timeout, plus our header and body timeouts: the byte-level
/// `RequestBytesHandler` must sit before the HTTP decoder, which `HTTP1Channel.Configuration`'s
/// `additionalChannelHandlers` (added after it) cannot express, so this wrapper adds it first, then lets
/// `HTTP1Channel` set up and serve the rest.
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits) {
        http1 = HTTP1Channel(responder: responder, configuration: .init(
            additionalChannelHandlers: [RequestTimeoutHandler(limits: limits)],
            idleTimeout: TimeAmount(limits.idleTimeout)))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestBytesHandler())
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }

    /// For `Application(server:)`.
    static func builder(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in TimedHTTP1Channel(responder: responder, limits: limits) }
    }
}
