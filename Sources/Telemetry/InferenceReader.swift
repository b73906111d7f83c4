public import Foundation
public import PromQL
import PrometheusClient

/// Reads one node's vLLM golden signals for its holder (`GET /api/v1/factory/nodes/{id}`).
///
/// Every query is written for all nodes and rewritten once by the caller's `TenantScope` narrowed
/// to the `node`, so neither label is concatenated into query text. Renamed vLLM
/// series are read under both names (`kv_cache_usage_perc` / `gpu_cache_usage_perc`,
/// `inter_token_latency_seconds` / `time_per_output_token_seconds`, docs: metrics.md §3.2).
/// Answers are cached per interval and fall back to the last known answer in an outage, like
/// the health reads.
public struct InferenceReader: Sendable {
    public let backend: any MetricsBackend
    public let refresh: Duration
    let read: IntervalRead<InferenceSignals?>

    public init(backend: any MetricsBackend, refresh: Duration = .seconds(15)) {
        self.backend = backend
        self.refresh = refresh
        self.read = IntervalRead(interval: RefreshInterval(refresh), capacity: 1024)
    }

    /// One figure: its name in `InferenceSignals`, its query, and how the value is scaled.
    struct Figure: Sendable {
        var name: String
        var query: String
        var scale: Double = 1
    }

    static let figures: [Figure] = [
        Figure(name: "ttftP95Ms", query: "histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))", scale: 1000),
        Figure(name: "ttftP99Ms", query: "histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))", scale: 1000),
        Figure(
            name: "tpotMs",
            query: #"sum(rate({__name__=~"vllm:inter_token_latency_seconds_sum|vllm:time_per_output_token_seconds_sum"}[5m])) / sum(rate({__name__=~"vllm:inter_token_latency_seconds_count|vllm:time_per_output_token_seconds_count"}[5m]))"#,
            scale: 1000),
        Figure(name: "requestsRunning", query: "sum(vllm:num_requests_running)"),
        Figure(name: "requestsWaiting", query: "sum(vllm:num_requests_waiting)"),
        Figure(name: "kvCachePct", query: #"max({__name__=~"vllm:kv_cache_usage_perc|vllm:gpu_cache_usage_perc"})"#, scale: 100),
        Figure(name: "preemptionsPerMin", query: "sum(rate(vllm:num_preemptions_total[5m]))", scale: 60),
        Figure(
            name: "prefixCacheHitPct",
            query: #"sum(rate({__name__=~"vllm:prefix_cache_hits_total|vllm:gpu_prefix_cache_hits_total"}[5m])) / sum(rate({__name__=~"vllm:prefix_cache_queries_total|vllm:gpu_prefix_cache_queries_total"}[5m]))"#,
            scale: 100),
        Figure(name: "promptTokensPerSec", query: "sum(rate(vllm:prompt_tokens_total[1m]))"),
        Figure(name: "generationTokensPerSec", query: "sum(rate(vllm:generation_tokens_total[1m]))"),
    ]

    /// The signals of `node`, or `nil` when the node exports no vLLM series at all. The caller
    /// has already checked that `scope`'s tenant holds `node`.
    public func signals(scope: TenantScope, node: String, now: Date) async throws -> Freshness<InferenceSignals?> {
        let tenant = scope.tenant
        let nodeScope = try scope.narrowed(toNode: node)
        let queries = try Self.figures.map { ($0, try nodeScope.rewrite($0.query)) }
        let presence = try nodeScope.rewrite(#"count by (model_name) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", job="vllm"})"#)

        let evaluation = read.interval.start(at: now)
        let key = CacheKey(backend: backend.identity, tenant: tenant, query: "inference:\(node)", bucket: read.interval.bucket(at: now))
        let backend = self.backend
        return try await read.latest(key, lastGoodKey: "\(tenant)|\(node)") {
            let models = try await backend.samples(presence, at: evaluation)
            guard !models.isEmpty else { return nil }
            // An absent answer means the series is not exported ("not collected"); a NaN
            // answer means it is, but nothing happened in the window (0/0: no requests).
            let values = try await withThrowingTaskGroup(of: (String, Double??).self) { group in
                for (figure, query) in queries {
                    group.addTask {
                        guard let value = try await backend.samples(query, at: evaluation).first?.value else { return (figure.name, nil) }
                        return (figure.name, .some(value.isFinite ? Self.round(value * figure.scale) : nil))
                    }
                }
                var values: [String: Double??] = [:]
                for try await (name, value) in group { values[name] = value }
                return values
            }
            func value(_ name: String) -> Double? { (values[name] ?? nil) ?? nil }
            let modelNames = Set(models.compactMap { $0.labels["model_name"] })
            return InferenceSignals(
                model: modelNames.count == 1 ? modelNames.first : nil,
                ttftP95Ms: value("ttftP95Ms"), ttftP99Ms: value("ttftP99Ms"), tpotMs: value("tpotMs"),
                requestsRunning: value("requestsRunning"), requestsWaiting: value("requestsWaiting"),
                kvCachePct: value("kvCachePct"), preemptionsPerMin: value("preemptionsPerMin"),
                prefixCacheHitPct: value("prefixCacheHitPct"), promptTokensPerSec: value("promptTokensPerSec"),
                generationTokensPerSec: value("generationTokensPerSec"),
                notCollected: Self.figures.map(\.name).filter { (values[$0] ?? nil) == nil }
            )
        }
    }


    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
