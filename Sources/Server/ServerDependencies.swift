import Fleet
import Foundation
import PrometheusClient
import Store
import Telemetry

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
    /// Tenant-scoped health reads (cache + coalescing + stale fallback); `nil` without Prometheus.
    public var healthReader: HealthReader?
    /// Consumer usage reads (metering contract + pool aggregate); `nil` without Prometheus.
    public var usageReader: UsageReader?
    /// Per-GPU trend reads for node holders; `nil` without Prometheus.
    public var trendReader: TrendReader?
    /// vLLM golden signals of one node; `nil` without Prometheus.
    public var inferenceReader: InferenceReader?
    /// Per-interval caches of the overview's extras (alerts, reliability).
    public var overviewCaches: OverviewCaches
    public var now: @Sendable () -> Date
    /// Runs load tests (`/api/v1/factory/loadtests`); `nil` answers 503 "load tests are not enabled".
    public var loadTests: LoadTestManager?

    public init(
        store: any Store,
        sessions: SessionStore = SessionStore(),
        limiter: FailedAuthLimiter = FailedAuthLimiter(),
        serviceDiscoveryToken: String? = nil,
        serviceDiscoveryRefresh: Duration = .seconds(30),
        prometheus: PrometheusClient? = nil,
        healthRefresh: Duration = .seconds(15),
        healthModel: HealthModel = HealthModel(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.limiter = limiter
        self.serviceDiscoveryToken = serviceDiscoveryToken
        self.serviceDiscoveryRefresh = serviceDiscoveryRefresh
        self.prometheus = prometheus
        self.healthReader = prometheus.map { HealthReader(backend: $0, model: healthModel, refresh: healthRefresh) }
        self.usageReader = prometheus.map { UsageReader(backend: $0, refresh: healthRefresh) }
        self.trendReader = prometheus.map { TrendReader(backend: $0) }
        self.inferenceReader = prometheus.map { InferenceReader(backend: $0, refresh: healthRefresh) }
        self.overviewCaches = OverviewCaches()
        self.now = now
    }
}

/// What the overview adds to the node cards, shared within one refresh interval so a wall of
/// viewers does not turn into one events read and one alerts read per request.
public struct OverviewCaches: Sendable {
    let alerts = CoalescingCache<[PrometheusAlert]>(capacity: 16)
    let reliability = CoalescingCache<[EventRoutes.NodeReliability]>(capacity: 1024)

    public init() {}
}
