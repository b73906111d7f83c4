public import Fleet
public import Foundation
public import PromQL
import PrometheusClient

/// Reads a consumer's usage from the metering contract (`aifactory_usage_*`), plus one
/// aggregate about the pool it draws on.
///
/// Usage queries are written without labels and rewritten once by the consumer's `TenantScope`
/// narrowed to the subscription's `pool` (the labels the metering gateway emits, kept by
/// `honor_labels: true`). The pool utilisation query goes through a `PoolAggregateScope`: it is
/// confined to the pool *and* the nodes the inventory says contribute to it, and it must reduce
/// to one label-free number, so its answer can name no node or GPU.
///
/// Like `HealthReader`: one upstream round per (tenant, pool) per refresh interval however many
/// viewers ask, and the last good answer, marked stale, while the backend is in trouble.
public struct UsageReader: Sendable {
    public let backend: any MetricsBackend
    public let refresh: Duration
    /// Window for the average and p95 latency.
    public let latencyWindow: Duration
    let read: IntervalRead<UsageReport>

    public init(backend: any MetricsBackend, refresh: Duration = .seconds(15), latencyWindow: Duration = .seconds(3600)) {
        self.backend = backend
        self.refresh = refresh
        self.latencyWindow = latencyWindow
        self.read = IntervalRead(interval: RefreshInterval(refresh))
    }

    /// The Prometheus duration of a subscription period (30 days for a month).
    public static func window(period: String) -> String {
        switch SubscriptionPeriod(rawValue: period) {
        case .day: "1d"
        case .week: "7d"
        case .month, nil: "30d"
        }
    }

    /// The queries of one read, before scoping (exposed for tests and docs).
    public static func queries(period: String, latencyWindow: String) -> (tokens: String, requests: String, average: String, p95: String, pool: String) {
        let window = Self.window(period: period)
        let duration = "aifactory_usage_request_duration_seconds"
        return (
            tokens: "sum by (direction) (increase(aifactory_usage_tokens_total[\(window)]))",
            requests: "sum(increase(aifactory_usage_requests_total[\(window)]))",
            average: "sum(rate(\(duration)_sum[\(latencyWindow)])) / sum(rate(\(duration)_count[\(latencyWindow)]))",
            p95: "histogram_quantile(0.95, sum by (le) (rate(\(duration)_bucket[\(latencyWindow)])))",
            pool: #"avg(DCGM_FI_DEV_GPU_UTIL{job="dcgm"})"#
        )
    }

    /// Usage of `subscription` by `scope`'s tenant (the subscription must be its own); `pool` is
    /// the pool figure's scope, `nil` when the pool has no contributing node (the figure is then
    /// unknown).
    public func usage(scope: TenantScope, pool: PoolAggregateScope?, subscription: Subscription, now: Date) async throws -> Freshness<UsageReport> {
        let tenant = scope.tenant
        let consumer = try scope.narrowed(to: ScopeLabel.pool, subscription.pool)
        let evaluation = read.interval.start(at: now)
        let latencyText = "\(max(1, latencyWindow.components.seconds))s"
        let texts = Self.queries(period: subscription.period, latencyWindow: latencyText)
        let key = CacheKey(
            backend: backend.identity, tenant: tenant,
            query: "usage:\(subscription.pool):\(subscription.period):\(subscription.tokenQuota):\(pool?.nodes.joined(separator: ",") ?? "")",
            bucket: read.interval.bucket(at: now))
        let backend = self.backend

        let tokensQuery = try consumer.rewrite(texts.tokens)
        let requestsQuery = try consumer.rewrite(texts.requests)
        let averageQuery = try consumer.rewrite(texts.average)
        let p95Query = try consumer.rewrite(texts.p95)
        let poolQuery = try pool?.rewrite(texts.pool)

        return try await read.latest(key, lastGoodKey: "\(tenant)|\(subscription.pool)") {
            async let tokens = backend.samples(tokensQuery, at: evaluation)
            async let requests = backend.samples(requestsQuery, at: evaluation)
            async let average = backend.samples(averageQuery, at: evaluation)
            async let p95 = backend.samples(p95Query, at: evaluation)
            async let poolSamples: [VectorSample] = {
                guard let poolQuery else { return [] }
                return try await backend.samples(poolQuery, at: evaluation)
            }()
            let tokenSamples = try await tokens
            let tokensIn = Self.count(tokenSamples.first { $0.labels["direction"] == "input" }?.value)
            let tokensOut = Self.count(tokenSamples.first { $0.labels["direction"] == "output" }?.value)
            let used: Int? = tokenSamples.isEmpty ? nil : (tokensIn ?? 0) + (tokensOut ?? 0)
            return UsageReport(
                pool: subscription.pool, period: subscription.period,
                tokensIn: tokensIn, tokensOut: tokensOut,
                requests: Self.count(try await requests.first?.value),
                averageLatencySeconds: Self.finite(try await average.first?.value).map { Self.round($0, places: 3) },
                p95LatencySeconds: Self.finite(try await p95.first?.value).map { Self.round($0, places: 3) },
                latencyWindow: latencyText,
                quotaUsed: used, quotaLimit: subscription.tokenQuota,
                // Only the number: the labels of this answer are never read.
                poolUtilisationPct: Self.finite(try await poolSamples.first?.value).map { Self.round($0, places: 1) }
            )
        }
    }


    /// A counter increase as a whole count (`increase` extrapolates to fractions); `nil` stays `nil`.
    static func count(_ value: Double?) -> Int? {
        guard let value = finite(value), value >= 0, value < 9e18 else { return nil }
        return Int(value.rounded())
    }

    static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }

    static func round(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
