// A tenant route's read, done the only way that compiles: the scope comes from the caller.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    guard let tenant = caller.tenant else { return }
    let scope = try tenant.scope().narrowed(toNode: "gpu-01")
    _ = try await client.instantQuery(try scope.rewrite("up"), at: nil)
}
