// expect: no exact matches in call to instance method 'relay'
// The tenant-scoped Prometheus API relays only checked queries: a raw string in query or
// match[] must not compile.
import PromQL
import PrometheusClient

func unscopedRelay(client: PrometheusClient) async throws {
    _ = try await client.relay(RelayRead<String>.query("up"), parameters: [])
}
