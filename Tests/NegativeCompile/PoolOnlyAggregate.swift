// expect: protection level
// A tenant route makes itself a pool aggregate without a consumer subscription.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    let query = try PoolAggregateScope(pool: "shared", nodes: ["gpu-01"]).rewrite("avg(up)")
    _ = try await client.instantQuery(query, at: nil)
}
