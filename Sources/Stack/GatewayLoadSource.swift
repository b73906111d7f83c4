public import Gateway
public import Logging
public import PrometheusClient
import Telemetry

/// The gateway's vLLM load signal wired to a Prometheus: one place for `aifactory gateway
/// --prometheus-url`, `serve --gateway` and the demo (docs/GATEWAY.md "Routing").
public enum GatewayLoadSource {
    /// A service that reports every node's vLLM load from `prometheusURL` to `pool` every `interval`.
    public static func polling(pool: UpstreamPool, prometheusURL: String, backend: PrometheusBackend = PrometheusBackend(),
                               interval: Duration = .seconds(5), logger: Logger) -> VLLMLoadPolling {
        let reader = VLLMLoadReader(backend: backend.client(baseURL: prometheusURL, timeout: .seconds(5)), freshness: max(.seconds(15), interval * 3))
        return VLLMLoadPolling(pool: pool, interval: interval, logger: logger) {
            try await reader.load().mapValues { NodeLoad(running: $0.running, kvCacheUsage: $0.kvCacheUsage) }
        }
    }
}
