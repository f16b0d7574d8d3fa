import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core context plus the connection's two ends, read once per
/// request, and who the caller is. The client's address keys the failed-authentication throttle; the server's own
/// address, which a client cannot forge as it can the Host header, spells the API's absolute links when no public
/// URL is set.
struct ServerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    let localAddress: SocketAddress?
    /// Who calls an API route, as `APIAuthMiddleware` decided before the handler runs; `.anonymous` elsewhere.
    var principal = Principal.anonymous

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        localAddress = source.channel.localAddress
    }

    /// The client's IP address as text ("unknown" for a socket without one, such as a unix socket).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// `http://ip:port` of the socket the request came in on.
    var localOrigin: String? {
        guard let address = localAddress, let ip = address.ipAddress, let port = address.port else { return nil }
        return ip.contains(":") ? "http://[\(ip)]:\(port)" : "http://\(ip):\(port)"
    }
}
