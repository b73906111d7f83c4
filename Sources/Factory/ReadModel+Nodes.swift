import Fleet
import Foundation
public import Logging
import PromQL
public import Telemetry

extension ReadModel {
    /// `GET /api/v1/factory/nodes/{id}`: one held node's health, per-GPU table and vLLM signals
    /// (operators: any node, read in its holder's scope).
    public func nodeDetail(_ caller: Caller, node id: String, logger: Logger) async throws -> NodeDetail {
        let (node, scope) = try await readableNode(id, by: caller)
        let reports = try await healthReader().reports(scope: scope, nodes: [node], now: now())
        guard let report = withAgents(reports.value, inventory: [node]).first else { throw FactoryError.notFound("node") }
        var detail = NodeDetail(report, freshness: reports)
        detail.inference = await inference(node, scope: scope, logger: logger)
        return detail
    }

    /// The node's vLLM golden signals; `nil` when it serves no vLLM or they cannot be read (the
    /// hardware detail must not fail because the inference figures did).
    private func inference(_ node: NodeRecord, scope: TenantScope, logger: Logger) async -> InferenceSignals? {
        guard node.vllmAddress != nil, let reader = readers.inference else { return nil }
        do {
            return try await reader.signals(scope: scope, node: node.name, gpus: node.gpuCount, now: now()).value
        } catch {
            logger.warning("reading inference signals failed", metadata: ["node": "\(node.name)", "error": "\(error)"])
            return nil
        }
    }

    /// `GET /api/v1/factory/nodes/{id}/trend`: per-GPU series of one held node (operators: any).
    public func trend(_ caller: Caller, node id: String, metric: TrendSeries.Metric, range: TrendSeries.Range) async throws -> TrendResponse {
        let (node, scope) = try await readableNode(id, by: caller)
        guard let reader = readers.trend else { throw FactoryError.noMetricsBackend }
        let trend = try await reader.trend(scope: scope, node: node.name, metric: metric, range: range, now: now())
        return TrendResponse(node: node.name, metric: metric, range: range, trend: trend)
    }

    /// `GET /api/v1/admin/nodes/{name}/check`: does Prometheus see the node, with hints.
    public func connectionCheck(_ caller: Caller, node name: String, serviceDiscoveryRefresh: Duration) async throws -> ConnectionCheck.Report {
        let node = try await visibleNode(name, to: caller)
        guard let metrics else { throw FactoryError.noMetricsBackend }
        let scope = try caller.operator?.connectionCheckScope(for: node) ?? caller.tenant?.connectionCheckScope(for: node)
        guard let scope else { throw FactoryError.notFound("node") }
        return await ConnectionCheck(backend: metrics, scope: scope, refresh: serviceDiscoveryRefresh).run(node: node)
    }
}
