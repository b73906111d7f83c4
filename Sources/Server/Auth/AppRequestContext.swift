public import Factory
public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's core storage plus who is calling.
///
/// `identity` is set by `AuthMiddleware` and lives only as long as the request.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public internal(set) var identity: Identity?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The authenticated caller, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }

    /// The authenticated caller's capability, or 401.
    public func requireCaller() throws -> Caller {
        try requireIdentity().caller
    }

    /// A stable key for per-client limits: the peer IP (not the port).
    var clientKey: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
