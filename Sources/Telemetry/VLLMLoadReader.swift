public import Foundation
import PromQL
import PrometheusClient

/// What every vLLM node reports about its load, by inventory node name, for the gateway's
/// routing (docs/GATEWAY.md "Routing").
///
/// A fleet read: the gateway is platform infrastructure, and the answer steers requests; it is
/// never shown to a tenant. Only samples from the last `freshness` count (`last_over_time`), so
/// a node whose scrape has gone stale drops out and routing falls back to in-flight counts there.
public struct VLLMLoadReader: Sendable {
    public let backend: any MetricsBackend
    public let freshness: Duration

    public init(backend: any MetricsBackend, freshness: Duration = .seconds(15)) {
        self.backend = backend
        self.freshness = freshness
    }

    /// The two queries, before scoping (exposed for tests and docs).
    public static func queries(freshness: Duration) -> (running: String, kvCache: String) {
        let window = "\(max(1, freshness.components.seconds))s"
        return (
            running: "sum by (node) (last_over_time(vllm:num_requests_running[\(window)]))",
            kvCache: "max by (node) (last_over_time(vllm:kv_cache_usage_perc[\(window)]))"
        )
    }

    /// Node → (requests running, KV-cache usage 0–1); a figure vLLM does not report is `nil`.
    public func load(now: Date = Date()) async throws -> [String: (running: Double?, kvCacheUsage: Double?)] {
        let texts = Self.queries(freshness: freshness)
        let scope = FleetScope()
        async let running = backend.samples(try scope.rewrite(texts.running), at: now)
        async let kv = backend.samples(try scope.rewrite(texts.kvCache), at: now)
        var result: [String: (running: Double?, kvCacheUsage: Double?)] = [:]
        for sample in try await running where sample.value.isFinite {
            guard let node = sample.labels["node"] else { continue }
            result[node, default: (nil, nil)].running = sample.value
        }
        for sample in try await kv where sample.value.isFinite {
            guard let node = sample.labels["node"] else { continue }
            result[node, default: (nil, nil)].kvCacheUsage = sample.value
        }
        return result
    }
}
