public import Foundation
public import PromQL
import PrometheusClient

/// Reads one node's vLLM golden signals for its holder (`GET /api/v1/factory/nodes/{id}`).
///
/// Every query is written for all nodes and rewritten once by the caller's `TenantScope` narrowed
/// to the `node`, so neither label is concatenated into query text. Renamed vLLM
/// series are read under both names (`kv_cache_usage_perc` / `gpu_cache_usage_perc`,
/// `inter_token_latency_seconds` / `time_per_output_token_seconds`, docs: metrics.md §3.2); the
/// aggregate of each name is joined with `or`, never one `rate({__name__=~"new|old"})`, because a
/// vLLM that exports both names (0.9, 0.11) would give Prometheus two series with the same labels
/// once `rate` drops the name, which it refuses.
/// Answers are cached per interval and fall back to the last known answer in an outage, like
/// the health reads.
public struct InferenceReader: Sendable {
    public let backend: any MetricsBackend
    public let refresh: Duration
    /// The TTFT objective in seconds behind `ttftOverObjectivePct`: the standard rules' default
    /// (`AlertRuleOptions.ttftSLOBucket` = "2.5", which the `VLLMTTFTBudgetBurn` alert reads as
    /// `le="2.5"`). Give another value only together with rules exported for it.
    public let ttftObjectiveSeconds: Double
    let read: IntervalRead<InferenceSignals?>

    public init(
        backend: any MetricsBackend, refresh: Duration = .seconds(15),
        ttftObjectiveSeconds: Double = InferenceSignals.defaultTTFTObjectiveMs / 1000
    ) {
        self.backend = backend
        self.refresh = refresh
        self.ttftObjectiveSeconds = ttftObjectiveSeconds
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
            query: "(sum(rate(vllm:inter_token_latency_seconds_sum[5m])) or sum(rate(vllm:time_per_output_token_seconds_sum[5m])))"
                + " / (sum(rate(vllm:inter_token_latency_seconds_count[5m])) or sum(rate(vllm:time_per_output_token_seconds_count[5m])))",
            scale: 1000),
        Figure(
            name: "itlP99Ms",
            query: "histogram_quantile(0.99, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket[5m]))"
                + " or sum by (le) (rate(vllm:time_per_output_token_seconds_bucket[5m])))",
            scale: 1000),
        Figure(name: "requestsRunning", query: "sum(vllm:num_requests_running)"),
        Figure(name: "requestsWaiting", query: "sum(vllm:num_requests_waiting)"),
        Figure(name: "kvCachePct", query: #"max({__name__=~"vllm:kv_cache_usage_perc|vllm:gpu_cache_usage_perc"})"#, scale: 100),
        Figure(name: "preemptionsPerMin", query: "sum(rate(vllm:num_preemptions_total[5m]))", scale: 60),
        Figure(
            name: "prefixCacheHitPct",
            query: "(sum(rate(vllm:prefix_cache_hits_total[5m])) or sum(rate(vllm:gpu_prefix_cache_hits_total[5m])))"
                + " / (sum(rate(vllm:prefix_cache_queries_total[5m])) or sum(rate(vllm:gpu_prefix_cache_queries_total[5m])))",
            scale: 100),
        Figure(name: "promptTokensPerSec", query: "sum(rate(vllm:prompt_tokens_total[1m]))"),
        Figure(name: "generationTokensPerSec", query: "sum(rate(vllm:generation_tokens_total[1m]))"),
    ]

    /// Finished requests per second by model and `finished_reason`: the success rate is worked
    /// out from these (``successByModel(_:)``), so it is the alert's ratio, per model.
    static let successQuery = "sum by (model_name, finished_reason) (rate(vllm:request_success_total[5m]))"
    /// The `finished_reason` values the alert rules count as failed (`finished_reason=~"abort|error"`).
    static let failedReasons: Set<String> = ["abort", "error"]
    /// TTFT bucket rates of the node, for the share over the objective (``overObjective(_:objective:)``).
    static let ttftBucketsQuery = "sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m]))"

    /// The signals of `node`, or `nil` when the node exports no vLLM series at all. The caller
    /// has already checked that `scope`'s tenant holds `node`.
    ///
    /// - Parameter gpus: the node's GPU count (inventory), which `generationTokensPerSecPerGPU`
    ///   divides by; without it (or with 0) that figure is `nil`.
    public func signals(scope: TenantScope, node: String, gpus: Int? = nil, now: Date) async throws -> Freshness<InferenceSignals?> {
        let tenant = scope.tenant
        let nodeScope = try scope.narrowed(toNode: node)
        let queries = try Self.figures.map { ($0, try nodeScope.rewrite($0.query)) }
        let presence = try nodeScope.rewrite(#"count by (model_name) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", job="vllm"})"#)
        let successQuery = try nodeScope.rewrite(Self.successQuery)
        let bucketsQuery = try nodeScope.rewrite(Self.ttftBucketsQuery)
        let objective = ttftObjectiveSeconds
        let gpuCount = gpus.flatMap { $0 > 0 ? $0 : nil }

        let evaluation = read.interval.start(at: now)
        let key = CacheKey(
            backend: backend.identity, tenant: tenant, query: "inference:\(node):\(gpuCount.map(String.init) ?? "-")",
            bucket: read.interval.bucket(at: now))
        let backend = self.backend
        return try await read.latest(key, lastGoodKey: "\(tenant)|\(node)") {
            let models = try await backend.samples(presence, at: evaluation)
            guard !models.isEmpty else { return nil }
            async let successSamples = backend.samples(successQuery, at: evaluation)
            async let bucketSamples = backend.samples(bucketsQuery, at: evaluation)
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
            // The same two levels for the figures worked out here: `.none` not collected,
            // `.some(nil)` collected with nothing to measure (no request; no GPU count).
            let buckets = try await bucketSamples
            let overObjective: Double?? = buckets.isEmpty ? .none : .some(Self.overObjective(buckets, objective: objective).map { Self.round($0) })
            let perGPU: Double?? = (values["generationTokensPerSec"] ?? nil).map { rate in
                rate.flatMap { rate in gpuCount.map { Self.round(rate / Double($0)) } }
            }
            let success = try await successSamples
            let successByModel = success.isEmpty ? nil : Self.successByModel(success)
            let modelNames = Set(models.compactMap { $0.labels["model_name"] })
            let notCollected = Self.figures.map(\.name).filter { (values[$0] ?? nil) == nil }
                + [("ttftOverObjectivePct", overObjective), ("generationTokensPerSecPerGPU", perGPU)].filter { $0.1 == nil }.map(\.0)
                + (successByModel == nil ? ["successByModel"] : [])
            return InferenceSignals(
                model: modelNames.count == 1 ? modelNames.first : nil,
                ttftP95Ms: value("ttftP95Ms"), ttftP99Ms: value("ttftP99Ms"),
                ttftOverObjectivePct: overObjective ?? nil, ttftObjectiveMs: Self.round(objective * 1000),
                tpotMs: value("tpotMs"), itlP99Ms: value("itlP99Ms"),
                requestsRunning: value("requestsRunning"), requestsWaiting: value("requestsWaiting"),
                kvCachePct: value("kvCachePct"), preemptionsPerMin: value("preemptionsPerMin"),
                prefixCacheHitPct: value("prefixCacheHitPct"), promptTokensPerSec: value("promptTokensPerSec"),
                generationTokensPerSec: value("generationTokensPerSec"),
                generationTokensPerSecPerGPU: perGPU ?? nil,
                successByModel: successByModel,
                notCollected: notCollected
            )
        }
    }

    /// Success rate per model from `successQuery`'s samples (finished requests per second by
    /// `model_name` and `finished_reason`): `1 − (abort + error) / all` as a percentage, the
    /// `VLLMRequestSuccessRateLow` ratio turned round. A model whose rates sum to 0 (no request
    /// finished in the window) has no success rate; a missing `abort` or `error` series counts as
    /// no such request, since its model's finished requests are collected.
    static func successByModel(_ samples: [VectorSample]) -> [InferenceSignals.ModelSuccess] {
        var totals: [String: (all: Double, failed: Double)] = [:]
        for sample in samples where sample.value.isFinite {
            let model = sample.labels["model_name"] ?? ""
            var total = totals[model] ?? (0, 0)
            total.all += sample.value
            if Self.failedReasons.contains(sample.labels["finished_reason"] ?? "") { total.failed += sample.value }
            totals[model] = total
        }
        return totals.keys.sorted().compactMap { model in
            guard let total = totals[model] else { return nil }
            let pct = total.all > 0 ? Self.round((1 - total.failed / total.all) * 100) : nil
            return InferenceSignals.ModelSuccess(model: model, successPct: pct, requestsPerSec: Self.round(total.all, places: 4))
        }
    }

    /// Percentage of requests whose TTFT exceeded `objective` seconds, from cumulative bucket
    /// rates by `le`: `1 − rate(le ≤ objective) / rate(le = +Inf)`, the alert's bad ratio. `nil`
    /// when no request arrived (the `+Inf` rate is 0) or there is no `+Inf` bucket.
    ///
    /// When `objective` is not a bucket boundary, the largest boundary below it is used (none:
    /// 0 requests within), so requests between that boundary and the objective count as over and
    /// the share is an upper bound — Prometheus keeps no finer count. (The alert cannot do better:
    /// it reads `le="2.5"` exactly, which is a boundary of vLLM's TTFT histogram.)
    static func overObjective(_ buckets: [VectorSample], objective: Double) -> Double? {
        var all: Double?
        var within: (bound: Double, rate: Double)?
        for sample in buckets where sample.value.isFinite {
            guard let le = sample.labels["le"], let bound = Double(le == "+Inf" ? "inf" : le) else { continue }
            if bound == .infinity {
                all = sample.value
            } else if bound <= objective * (1 + 1e-9), bound >= (within?.bound ?? -.infinity) {
                within = (bound, sample.value)
            }
        }
        guard let all, all > 0 else { return nil }
        return max(0, min(100, (1 - (within?.rate ?? 0) / all) * 100))
    }

    static func round(_ value: Double, places: Double = 2) -> Double {
        let factor = pow(10, places)
        return (value * factor).rounded() / factor
    }
}
