import Fleet
import Foundation
import PromQL
import PrometheusClient

/// Reads a tenant's node health: snapshots through the enforcer, the health model on top,
/// one upstream round per tenant per refresh interval however many viewers ask, and the last
/// good answer (marked stale) while the backend is in trouble.
public struct HealthReader: Sendable {
    public let backend: any MetricsBackend
    public let model: HealthModel
    /// Answers are shared within one interval (the page polls every 15–30 s).
    public let refresh: Duration
    let cache: CoalescingCache<[NodeReport]>
    let lastGood: LastKnownGood<String, [NodeReport]>

    public init(backend: any MetricsBackend, model: HealthModel = HealthModel(), refresh: Duration = .seconds(15)) {
        self.backend = backend
        self.model = model
        self.refresh = refresh
        self.cache = CoalescingCache()
        self.lastGood = LastKnownGood()
    }

    /// Health of `nodes` (which the caller has already limited to what `tenant` holds).
    public func reports(tenant: String, nodes: [NodeRecord], now: Date) async throws -> Freshness<[NodeReport]> {
        let scope = try TenantScope(label: "tenant", value: tenant)
        let seconds = max(1, Int64(refresh.components.seconds))
        let bucket = Int64(now.timeIntervalSince1970) / seconds
        let evaluation = Date(timeIntervalSince1970: TimeInterval(bucket * seconds))
        let names = nodes.map(\.name).sorted().joined(separator: ",")
        let key = CacheKey(backend: backend.identity, tenant: tenant, query: "node-reports:\(names)", bucket: bucket)
        let builder = SnapshotBuilder(backend: backend, scope: scope)
        let model = self.model
        let cache = self.cache
        return try await lastGood.read(
            "\(tenant)|\(names)",
            isOutage: UpstreamTrouble.isOutage,
            reason: UpstreamTrouble.staleReason,
            fetch: {
                let (reports, servedBucket) = try await cache.latest(for: key) {
                    let snapshots = try await builder.snapshots(for: nodes, at: evaluation)
                    return zip(nodes, snapshots).map { node, snapshot in
                        NodeReport(node: node, snapshot: snapshot, health: model.evaluate(snapshot))
                    }
                }
                return (reports, Date(timeIntervalSince1970: TimeInterval(servedBucket * seconds)))
            }
        )
    }
}
