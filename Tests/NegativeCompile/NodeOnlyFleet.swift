// expect: protection level
// A tenant route makes itself a fleet read narrowed to a node, without an operator capability.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    let query = try FleetScope(narrowing: [(ScopeLabel.node, "gpu-01")]).rewrite("up")
    _ = try await client.instantQuery(query, at: nil)
}
