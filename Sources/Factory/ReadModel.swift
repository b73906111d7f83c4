public import Fleet
public import Foundation
public import PromQL
import PrometheusClient
public import Store
public import Telemetry

/// The tenant read model: every answer the page and the API give about a caller's factory.
///
/// Inputs are a caller capability (``Caller``, made only by ``Authenticator``), the metrics
/// backend (`any RangeMetricsBackend`, which accepts only checked query types), an alert source
/// and the store. Routes parse a request, call one method here and encode the answer; the role
/// switch, the PromQL, the caches and the scoping all live on this side, so a new tenant-facing
/// read lands here and cannot reach Prometheus without a scope made from the caller.
public struct ReadModel: Sendable {
    public let store: any Store
    /// `nil` when no metrics backend is configured: telemetry reads answer `.notConfigured`.
    public let metrics: (any RangeMetricsBackend)?
    public let alertSource: (any AlertSource)?
    public let readers: Readers
    public let now: @Sendable () -> Date
    /// The site's prices for the cost figures (`serve --prices`; docs/ECONOMICS.md).
    public var prices: PriceSheet = .defaults
    /// Where the tenant-scoped Prometheus API relays its reads (`nil`: not configured; the API
    /// answers 503). docs/PROMETHEUS-API.md.
    public var relay: (any PrometheusAPIRelay)?

    /// The per-interval readers (each with its own cache), built once per process.
    public struct Readers: Sendable {
        public let health: HealthReader?
        public let usage: UsageReader?
        public let trend: TrendReader?
        public let inference: InferenceReader?
        let overview: OverviewCaches
        public let interval: RefreshInterval

        public init(metrics: (any RangeMetricsBackend)?, model: HealthModel = HealthModel(), refresh: Duration = .seconds(15)) {
            health = metrics.map { HealthReader(backend: $0, model: model, refresh: refresh) }
            usage = metrics.map { UsageReader(backend: $0, refresh: refresh) }
            trend = metrics.map { TrendReader(backend: $0) }
            inference = metrics.map { InferenceReader(backend: $0, refresh: refresh) }
            overview = OverviewCaches()
            interval = RefreshInterval(refresh)
        }
    }

    public init(
        store: any Store, metrics: (any RangeMetricsBackend)?, alertSource: (any AlertSource)?, readers: Readers,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.metrics = metrics
        self.alertSource = alertSource
        self.readers = readers
        self.now = now
    }

    func healthReader() throws(FactoryError) -> HealthReader {
        guard let reader = readers.health else { throw .noMetricsBackend }
        return reader
    }

    /// The node named `id` when `caller` may see it; otherwise `.notFound`, exactly like a
    /// missing node.
    func visibleNode(_ id: String, to caller: Caller) async throws -> NodeRecord {
        guard let node = try await store.node(named: id), caller.sees(node) else { throw FactoryError.notFound("node") }
        return node
    }

    /// The node named `id` with the scope its telemetry is read in: the holder's own scope for a
    /// tenant that holds it, the holder's scope made by the operator capability for an operator.
    /// Anyone else gets `.notFound`, exactly like a missing node.
    func readableNode(_ id: String, by caller: Caller) async throws -> (node: NodeRecord, scope: TenantScope) {
        if let op = caller.operator {
            guard let node = try await store.node(named: id) else { throw FactoryError.notFound("node") }
            return (node, try op.tenantScope(node.holding.tenant))
        }
        let (node, tenant) = try await heldNode(id, by: caller)
        return (node, try tenant.scope())
    }

    /// The node named `id` when `caller`'s tenant holds it (operators hold none).
    func heldNode(_ id: String, by caller: Caller) async throws -> (node: NodeRecord, tenant: AuthenticatedTenant) {
        guard let tenant = caller.tenant, let node = try await store.node(named: id), tenant.holds(node) else {
            throw FactoryError.notFound("node")
        }
        return (node, tenant)
    }
}

/// What the overview adds to the node cards, shared within one refresh interval so a wall of
/// viewers does not turn into one events read and one alerts read per request.
struct OverviewCaches: Sendable {
    let alerts = CoalescingCache<[PrometheusAlert]>(capacity: 16)
    let reliability = CoalescingCache<[NodeReliability]>(capacity: 1024)
}
