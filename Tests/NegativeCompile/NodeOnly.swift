// expect: cannot convert value of type 'LabelScopedQuery' to expected argument type 'ScopedQuery'
// A tenant route confines a query to a node but not to the caller's tenant.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    let query = try LabelScope(label: ScopeLabel.node, value: "gpu-01").rewrite("up")
    _ = try await client.query(query)
}
