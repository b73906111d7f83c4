public import Fleet
public import Foundation
public import PromQL
import PrometheusClient

/// Reads a tenant's node health: snapshots through the enforcer, the health model on top,
/// one upstream round per tenant per refresh interval however many viewers ask, and the last
/// good answer (marked stale) while the backend is in trouble.
public struct HealthReader: Sendable {
    public let backend: any MetricsBackend
    public let model: HealthModel
    /// Answers are shared within one interval (the page polls every 15–30 s).
    public let refresh: Duration
    let read: IntervalRead<[NodeReport]>

    public init(backend: any MetricsBackend, model: HealthModel = HealthModel(), refresh: Duration = .seconds(15)) {
        self.backend = backend
        self.model = model
        self.refresh = refresh
        self.read = IntervalRead(interval: RefreshInterval(refresh))
    }

    /// Health of `nodes` (which the caller has already limited to what `scope`'s tenant holds).
    public func reports(scope: TenantScope, nodes: [NodeRecord], now: Date) async throws -> Freshness<[NodeReport]> {
        let tenant = scope.tenant
        let evaluation = read.interval.start(at: now)
        let names = nodes.map(\.name).sorted().joined(separator: ",")
        let key = CacheKey(backend: backend.identity, tenant: tenant, query: "node-reports:\(names)", bucket: read.interval.bucket(at: now))
        let builder = SnapshotBuilder(backend: backend, scope: scope)
        let model = self.model
        return try await read.latest(key, lastGoodKey: "\(tenant)|\(names)") {
            let snapshots = try await builder.snapshots(for: nodes, at: evaluation)
            return zip(nodes, snapshots).map { node, snapshot in
                NodeReport(node: node, snapshot: snapshot, health: model.evaluate(snapshot))
            }
        }
    }
}
