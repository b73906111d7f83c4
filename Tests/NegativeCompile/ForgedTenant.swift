// expect: protection level
// A tenant route names another tenant instead of taking the caller's.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    let query = try TenantScope(tenant: "someone-else").rewrite("up")
    _ = try await client.instantQuery(query, at: nil)
}
