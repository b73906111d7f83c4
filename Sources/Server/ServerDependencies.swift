import Foundation
import PrometheusClient
import Store

/// The live collaborators of the server, injected so tests can pass fakes or temp databases.
public struct ServerDependencies: Sendable {
    public var store: any Store
    public var sessions: SessionStore
    public var limiter: FailedAuthLimiter
    /// Bearer token Prometheus presents to `/sd/prometheus`; `nil` disables the endpoint.
    public var serviceDiscoveryToken: String?
    /// How often Prometheus re-reads service discovery (reported by the connection check hints).
    public var serviceDiscoveryRefresh: Duration
    /// Reads telemetry; `nil` when no Prometheus is configured.
    public var prometheus: PrometheusClient?
    public var now: @Sendable () -> Date

    public init(
        store: any Store,
        sessions: SessionStore = SessionStore(),
        limiter: FailedAuthLimiter = FailedAuthLimiter(),
        serviceDiscoveryToken: String? = nil,
        serviceDiscoveryRefresh: Duration = .seconds(30),
        prometheus: PrometheusClient? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.limiter = limiter
        self.serviceDiscoveryToken = serviceDiscoveryToken
        self.serviceDiscoveryRefresh = serviceDiscoveryRefresh
        self.prometheus = prometheus
        self.now = now
    }
}
