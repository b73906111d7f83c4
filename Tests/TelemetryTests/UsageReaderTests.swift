import Fleet
import Foundation
import PromQL
import PrometheusClient
import Testing
@testable import Telemetry

/// A `RangeMetricsBackend` answering from closures and recording every query it is sent.
final class FakeMetricsBackend: RangeMetricsBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [ScopedQuery] = []
    private var sentPool: [PoolAggregateQuery] = []
    private var ranges: [(query: ScopedQuery, start: Date, end: Date, step: Duration)] = []
    private var failing: PrometheusClientError?
    let instant: @Sendable (String) -> QueryResult
    let range: @Sendable (String, Date, Date, Duration) -> [RangeSeries]

    var identity: String { "fake" }

    init(
        instant: @escaping @Sendable (String) -> QueryResult = { _ in .vector([]) },
        range: @escaping @Sendable (String, Date, Date, Duration) -> [RangeSeries] = { _, _, _, _ in [] }
    ) {
        self.instant = instant
        self.range = range
    }

    var queries: [ScopedQuery] { lock.withLock { sent } }
    var poolQueries: [PoolAggregateQuery] { lock.withLock { sentPool } }
    var rangeQueries: [(query: ScopedQuery, start: Date, end: Date, step: Duration)] { lock.withLock { ranges } }
    func fail(with error: PrometheusClientError?) { lock.withLock { failing = error } }

    func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        let error = lock.withLock { () -> PrometheusClientError? in
            sent.append(query)
            return failing
        }
        if let error { throw error }
        return instant(query.text)
    }

    func instantQuery(_ query: PoolAggregateQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        let error = lock.withLock { () -> PrometheusClientError? in
            sentPool.append(query)
            return failing
        }
        if let error { throw error }
        return instant(query.text)
    }

    func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries] {
        let error = lock.withLock { () -> PrometheusClientError? in
            ranges.append((query, start, end, step))
            return failing
        }
        if let error { throw error }
        return range(query.text, start, end, step)
    }
}

@Suite("UsageReader")
struct UsageReaderTests {
    static let subscription = Subscription(
        id: "s_1", tenant: "umbrella", pool: "shared", plan: "starter", tokenQuota: 1_000_000, period: "month", createdAt: Date(timeIntervalSince1970: 0))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let pool = try! PoolAggregateScope(pool: "shared", nodes: ["globex-1", "globex-2"])

    static func usage(_ reader: UsageReader, now: Date = now) async throws -> Freshness<UsageReport> {
        try await reader.usage(scope: try TenantScope(tenant: "umbrella"), pool: pool, subscription: subscription, now: now)
    }

    /// Answers like Prometheus would over the metering contract and a pool of provider nodes
    /// (whose per-node series carry node names that must never reach the report).
    static func backend() -> FakeMetricsBackend {
        FakeMetricsBackend { text in
            func sample(_ value: Double, _ labels: [String: String] = [:]) -> VectorSample {
                VectorSample(labels: labels, value: value, timestamp: 1_800_000_000)
            }
            if text.contains("aifactory_usage_tokens_total") {
                return .vector([sample(1200.4, ["direction": "input"]), sample(345.6, ["direction": "output"])])
            }
            if text.contains("aifactory_usage_requests_total") { return .vector([sample(42.2)]) }
            if text.hasPrefix("histogram_quantile") { return .vector([sample(2.3456)]) }
            if text.contains("aifactory_usage_request_duration_seconds_sum") { return .vector([sample(1.2345)]) }
            if text.contains("DCGM_FI_DEV_GPU_UTIL") { return .vector([sample(61.234, ["node": "globex-1", "host": "globex-1.example"])]) }
            return .vector([])
        }
    }

    @Test("usage queries carry both the consumer tenant and the pool; the pool figure only the pool and its nodes")
    func scoping() async throws {
        let backend = Self.backend()
        _ = try await Self.usage(UsageReader(backend: backend), now: Self.now)
        let queries = backend.queries
        #expect(queries.count == 4)
        for query in queries where query.text.contains("aifactory_usage") {
            #expect(query.label == "tenant" && query.value == "umbrella")
            #expect(query.text.contains(#"tenant="umbrella""#))
            #expect(query.text.contains(#"pool="shared""#))
        }
        let tokens = try #require(queries.first { $0.text.contains("aifactory_usage_tokens_total") })
        // The printer writes durations canonically: 30d prints as 4w2d.
        #expect(tokens.text.contains("[4w2d]"), "a month subscription totals over 30 days: \(tokens.text)")
        #expect(!queries.contains { $0.text.contains("DCGM_FI_DEV_GPU_UTIL") }, "the pool figure is never a tenant read")
        let pool = try #require(backend.poolQueries.first { $0.text.contains("DCGM_FI_DEV_GPU_UTIL") })
        #expect(pool.pool == "shared" && pool.nodes == ["globex-1", "globex-2"])
        #expect(pool.text.hasPrefix("avg("))
        #expect(pool.text.contains(#"pool="shared""#))
        #expect(pool.text.contains(#"node=~"globex-1|globex-2""#), "only the pool's contributing nodes: \(pool.text)")
        #expect(!pool.text.contains("tenant="), "the consumer holds none of the pool's nodes")
        #expect(!pool.text.contains(" by "), "an aggregate over the whole pool, never per node")
    }

    @Test("numbers: whole token and request counts, quota used = in + out, latency and pool aggregate")
    func numbers() async throws {
        let read = try await Self.usage(UsageReader(backend: Self.backend()))
        let report = read.value
        #expect(!read.stale)
        #expect(report.tokensIn == 1200)
        #expect(report.tokensOut == 346)
        #expect(report.requests == 42)
        #expect(report.quotaUsed == 1546)
        #expect(report.quotaLimit == 1_000_000)
        #expect(report.period == "month")
        #expect(report.averageLatencySeconds == 1.235)
        #expect(report.p95LatencySeconds == 2.346)
        #expect(report.poolUtilisationPct == 61.2)
    }

    @Test("consumer JSON never contains node names or hosts, even when the backend's answer does")
    func noHardwareIdentifiers() async throws {
        let read = try await Self.usage(UsageReader(backend: Self.backend()))
        let text = String(decoding: try JSONEncoder().encode(read.value), as: UTF8.self)
        #expect(!text.contains("globex-1"))
        #expect(!text.contains("example"))
    }

    @Test("no metering series → unknown (nil), never 0; NaN latency → nil")
    func absent() async throws {
        let backend = FakeMetricsBackend { text in
            text.contains("/") ? .vector([VectorSample(labels: [:], value: .nan, timestamp: 0)]) : .vector([])
        }
        let report = try await Self.usage(UsageReader(backend: backend), now: Self.now).value
        #expect(report.tokensIn == nil && report.tokensOut == nil && report.requests == nil && report.quotaUsed == nil)
        #expect(report.averageLatencySeconds == nil)
        #expect(report.poolUtilisationPct == nil)
        #expect(report.quotaLimit == 1_000_000)
    }

    @Test("period windows", arguments: [("month", "30d"), ("week", "7d"), ("day", "1d")])
    func periods(period: String, window: String) {
        #expect(UsageReader.window(period: period) == window)
    }

    @Test("one upstream round per refresh interval; an outage serves the last answer as stale")
    func cachingAndStale() async throws {
        let backend = Self.backend()
        let reader = UsageReader(backend: backend, refresh: .seconds(15))
        _ = try await Self.usage(reader, now: Self.now)
        _ = try await Self.usage(reader, now: Self.now.addingTimeInterval(1))
        #expect(backend.queries.count + backend.poolQueries.count == 5)
        backend.fail(with: .unreachable("connection refused"))
        let stale = try await Self.usage(reader, now: Self.now.addingTimeInterval(60))
        #expect(stale.stale)
        #expect(stale.reason != nil)
        #expect(stale.value.tokensIn == 1200)
        #expect(stale.asOf <= Self.now)
    }
}
