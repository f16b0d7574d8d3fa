import Hummingbird
import NIOCore
import NIOHTTPTypes

/// The header and body timeouts, which Hummingbird lacks (its `idleTimeout` only watches decoded parts, so a head
/// trickled in a byte at a time, which yields no part, holds the connection for the whole idle timeout). Two
/// handlers: `RequestBytesHandler` sits before the HTTP decoder and tells when bytes arrive;
/// `RequestTimeoutHandler` sits after it, sees the decoded parts and runs the timer `RequestDeadlines` asks for.
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var deadlines: RequestDeadlines
    private var timer: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        deadlines = RequestDeadlines(headerTimeout: limits.headerTimeout, bodyTimeout: limits.bodyTimeout)
    }

    // Accepted channels are active by the time the pipeline is set up; channelActive covers any other.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { apply(deadlines.connectionOpened(), context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil, deadlines.phase == .betweenRequests { apply(deadlines.connectionOpened(), context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: apply(deadlines.headReceived(), context)
        case .body: break
        case .end: apply(deadlines.endReceived(), context)
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesHandler.BytesArrived {
            apply(deadlines.bytesArrived(), context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func apply(_ action: RequestDeadlines.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .disarm:
            cancelTimer()
        case .arm(let timeout):
            cancelTimer()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                self.timer = nil
                if self.deadlines.shouldCloseOnTimer() { context.close(promise: nil) }
            }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

/// Before the HTTP decoder: announces each read to `RequestTimeoutHandler` (an inbound event, so it passes the
/// decoder before the parts decoded from the same bytes).
final class RequestBytesHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct BytesArrived {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestTimeoutHandler: Sendable {}

@available(*, unavailable)
extension RequestBytesHandler: Sendable {}
