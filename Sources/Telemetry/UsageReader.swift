import Fleet
import Foundation
import PromQL
import PrometheusClient

/// Reads a consumer's usage from the metering contract (`aifactory_usage_*`), plus one
/// aggregate about the pool it draws on.
///
/// Usage queries are written without labels and rewritten twice by `TenantScope`: first to the
/// subscription's `pool`, then to the consumer `tenant` (the label the metering gateway emits,
/// kept by `honor_labels: true`), so the tenant matcher is the one the client checks. The pool
/// utilisation query is scoped to the pool alone (the consumer holds none of its nodes) and is
/// an `avg` with no grouping, so its answer has no labels: only the number is read from it.
///
/// Like `HealthReader`: one upstream round per (tenant, pool) per refresh interval however many
/// viewers ask, and the last good answer, marked stale, while the backend is in trouble.
public struct UsageReader: Sendable {
    public let backend: any MetricsBackend
    public let refresh: Duration
    /// Window for the average and p95 latency.
    public let latencyWindow: Duration
    let cache: CoalescingCache<UsageReport>
    let lastGood: LastKnownGood<String, UsageReport>

    public init(backend: any MetricsBackend, refresh: Duration = .seconds(15), latencyWindow: Duration = .seconds(3600)) {
        self.backend = backend
        self.refresh = refresh
        self.latencyWindow = latencyWindow
        self.cache = CoalescingCache()
        self.lastGood = LastKnownGood()
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

    /// Usage of `subscription` by `tenant` (the caller's tenant; the subscription must be its own).
    public func usage(tenant: String, subscription: Subscription, now: Date) async throws -> Freshness<UsageReport> {
        let tenantScope = try TenantScope(label: "tenant", value: tenant)
        let poolScope = try TenantScope(label: "pool", value: subscription.pool)
        let seconds = max(1, Int64(refresh.components.seconds))
        let bucket = Int64(now.timeIntervalSince1970) / seconds
        let evaluation = Date(timeIntervalSince1970: TimeInterval(bucket * seconds))
        let latencyText = "\(max(1, latencyWindow.components.seconds))s"
        let texts = Self.queries(period: subscription.period, latencyWindow: latencyText)
        let key = CacheKey(
            backend: backend.identity, tenant: tenant,
            query: "usage:\(subscription.pool):\(subscription.period):\(subscription.tokenQuota)", bucket: bucket)
        let backend = self.backend
        let cache = self.cache

        /// Pool first, tenant last: the resulting `ScopedQuery` names the tenant.
        func consumerQuery(_ text: String) throws -> ScopedQuery {
            try tenantScope.rewrite(try poolScope.rewrite(text).text)
        }
        let tokensQuery = try consumerQuery(texts.tokens)
        let requestsQuery = try consumerQuery(texts.requests)
        let averageQuery = try consumerQuery(texts.average)
        let p95Query = try consumerQuery(texts.p95)
        let poolQuery = try poolScope.rewrite(texts.pool)

        return try await lastGood.read(
            "\(tenant)|\(subscription.pool)",
            isOutage: UpstreamTrouble.isOutage,
            reason: UpstreamTrouble.staleReason,
            fetch: {
                let (report, servedBucket) = try await cache.latest(for: key) {
                    async let tokens = backend.samples(tokensQuery, at: evaluation)
                    async let requests = backend.samples(requestsQuery, at: evaluation)
                    async let average = backend.samples(averageQuery, at: evaluation)
                    async let p95 = backend.samples(p95Query, at: evaluation)
                    async let pool = backend.samples(poolQuery, at: evaluation)
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
                        poolUtilisationPct: Self.finite(try await pool.first?.value).map { Self.round($0, places: 1) }
                    )
                }
                return (report, Date(timeIntervalSince1970: TimeInterval(servedBucket * seconds)))
            }
        )
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
