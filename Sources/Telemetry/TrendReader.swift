public import Foundation
public import PromQL
public import PrometheusClient

/// A `MetricsBackend` that also answers range queries (the trend charts need them).
///
/// Kept apart from `MetricsBackend` so instant-only fakes stay small; `PrometheusClient`
/// conforms with its `queryRange`.
public protocol RangeMetricsBackend: MetricsBackend {
    func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries]
}

extension PrometheusClient: RangeMetricsBackend {}

/// Reads per-GPU trends of one node for its holder.
///
/// The query is rewritten once by the caller's `TenantScope` narrowed to the `node`, so neither
/// label is ever concatenated into query text.
/// `end` is aligned down to the step, so viewers within one step share one upstream query and the
/// points do not jitter; `start = end − range + step` makes exactly `maxPoints` steps, and any
/// surplus a backend returns is trimmed from the old end.
public struct TrendReader: Sendable {
    public let backend: any RangeMetricsBackend
    let cache: CoalescingCache<[TrendSeries]>
    let lastGood: LastKnownGood<String, [TrendSeries]>

    public init(backend: any RangeMetricsBackend) {
        self.backend = backend
        self.cache = CoalescingCache(capacity: 1024)
        self.lastGood = LastKnownGood()
    }

    /// Per-GPU series of `metric` on `node` over `range` ending at `now`; the caller has
    /// already checked that `scope`'s tenant holds `node`.
    public func trend(scope: TenantScope, node: String, metric: TrendSeries.Metric, range: TrendSeries.Range, now: Date) async throws -> Freshness<[TrendSeries]> {
        let tenant = scope.tenant
        let query = try scope.narrowed(toNode: node).rewrite(metric.query)
        let step = range.step
        let interval = RefreshInterval(seconds: step)
        let bucket = interval.bucket(at: now)
        let end = interval.start(ofBucket: bucket)
        let start = end.addingTimeInterval(-TimeInterval(range.seconds - step))
        let key = CacheKey(backend: backend.identity, tenant: tenant, query: "trend:\(range.rawValue):\(query.text)", bucket: bucket)
        let backend = self.backend
        let cache = self.cache
        return try await lastGood.read(
            "\(tenant)|\(node)|\(metric.rawValue)|\(range.rawValue)",
            now: end,
            isOutage: UpstreamTrouble.isOutage,
            reason: UpstreamTrouble.staleReason,
            fetch: {
                try await cache.value(for: key) {
                    let series = try await backend.queryRange(query, start: start, end: end, step: .seconds(step))
                    return series.compactMap { series -> TrendSeries? in
                        guard series.labels[ScopeLabel.node] == node, let gpu = series.labels["gpu"].flatMap(Int.init) else { return nil }
                        let points = series.points.suffix(TrendSeries.maxPoints).map {
                            TrendSeries.Point(time: Date(timeIntervalSince1970: $0.time), value: $0.value)
                        }
                        return TrendSeries(gpu: gpu, uuid: series.labels["UUID"] ?? series.labels["uuid"], points: Array(points))
                    }
                    .sorted { $0.gpu < $1.gpu }
                }
            }
        )
    }
}
