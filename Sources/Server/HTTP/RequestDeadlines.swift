/// When a connection's request must be complete: its head `headerTimeout` after its first byte (the first
/// request's: after the connection opened, so that silent new connections do not hold the cap for the whole idle
/// timeout), its body `bodyTimeout` after its head. A pure state machine: events in, the timer action to take
/// out; the channel handler (`RequestTimeoutHandler`) owns the timer. Between requests no deadline runs here:
/// Hummingbird's idle timeout closes a kept-alive connection that sends nothing more.
struct RequestDeadlines: Sendable {
    enum Phase: Sendable, Equatable {
        /// The last request was read to its end (or none has started).
        case betweenRequests
        case readingHead
        case readingBody
    }

    enum Action: Sendable, Equatable {
        case none
        /// (Re)start the timer: the connection is closed if it fires first.
        case arm(Duration)
        case disarm
    }

    let headerTimeout: Duration
    let bodyTimeout: Duration
    private(set) var phase = Phase.betweenRequests

    init(headerTimeout: Duration, bodyTimeout: Duration) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// The connection is open: its first request's head is due.
    mutating func connectionOpened() -> Action {
        phase = .readingHead
        return .arm(headerTimeout)
    }

    /// Bytes came off the socket (before decoding): between requests, they start the next one's head.
    mutating func bytesArrived() -> Action {
        guard phase == .betweenRequests else { return .none }
        phase = .readingHead
        return .arm(headerTimeout)
    }

    mutating func headReceived() -> Action {
        phase = .readingBody
        return .arm(bodyTimeout)
    }

    mutating func endReceived() -> Action {
        phase = .betweenRequests
        return .disarm
    }

    /// The timer fired: close unless the request it was armed for has moved on meanwhile.
    func shouldCloseOnTimer() -> Bool { phase != .betweenRequests }
}
