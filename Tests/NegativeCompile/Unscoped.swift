// expect: no exact matches in call to instance method 'instantQuery'
// A tenant route hands the client a raw PromQL string.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    _ = try await client.instantQuery("up", at: nil)
}
