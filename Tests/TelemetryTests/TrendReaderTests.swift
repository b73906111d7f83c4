import Foundation
import PromQL
import PrometheusClient
import Testing
@testable import Telemetry

@Suite("TrendReader")
struct TrendReaderTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_007)

    /// Answers a range query with one series per GPU, one point per step from start to end.
    static func backend(extraPoints: Int = 0) -> FakeMetricsBackend {
        FakeMetricsBackend(range: { _, start, end, step in
            let seconds = Double(step.components.seconds)
            var times: [Double] = []
            var t = start.timeIntervalSince1970 - Double(extraPoints) * seconds
            while t <= end.timeIntervalSince1970 {
                times.append(t)
                t += seconds
            }
            return (0..<2).map { gpu in
                RangeSeries(
                    labels: ["node": "acme-1", "gpu": "\(gpu)", "UUID": "GPU-\(gpu)", "tenant": "acme"],
                    points: times.map { SamplePoint(time: $0, value: Double(gpu) + 40) })
            }
        })
    }

    @Test("step = range / 300 rounded up; at most 300 points per series", arguments: TrendSeries.Range.allCases)
    func bounds(range: TrendSeries.Range) async throws {
        let backend = Self.backend()
        let trend = try await TrendReader(backend: backend).trend(scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: .temperature, range: range, now: Self.now)
        let sent = try #require(backend.rangeQueries.first)
        let step = sent.step.components.seconds
        #expect(step == (range.seconds + 299) / 300)
        #expect(step * 300 >= range.seconds)
        #expect(Int64(sent.end.timeIntervalSince1970) % step == 0, "end aligned to the step")
        #expect(trend.value.count == 2)
        for series in trend.value {
            #expect(series.points.count <= TrendSeries.maxPoints)
            #expect(series.points.count >= TrendSeries.maxPoints - 1)
        }
    }

    @Test("a backend returning more than 300 points is trimmed from the old end")
    func trims() async throws {
        let trend = try await TrendReader(backend: Self.backend(extraPoints: 50)).trend(
            scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: .power, range: .hour, now: Self.now)
        for series in trend.value {
            #expect(series.points.count == TrendSeries.maxPoints)
        }
    }

    @Test("query is scoped to the tenant and filtered by node, per metric", arguments: TrendSeries.Metric.allCases)
    func scoping(metric: TrendSeries.Metric) async throws {
        let backend = Self.backend()
        _ = try await TrendReader(backend: backend).trend(scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: metric, range: .sixHours, now: Self.now)
        let query = try #require(backend.rangeQueries.first?.query)
        #expect(query.label == "tenant" && query.value == "acme")
        #expect(query.text.contains(#"tenant="acme""#))
        #expect(query.text.contains(#"node="acme-1""#))
    }

    @Test("series are per GPU, sorted, with UUID; series of other nodes are dropped")
    func series() async throws {
        let backend = FakeMetricsBackend(range: { _, _, end, _ in
            [
                RangeSeries(labels: ["node": "acme-1", "gpu": "1", "UUID": "GPU-b"], points: [SamplePoint(time: end.timeIntervalSince1970, value: 2)]),
                RangeSeries(labels: ["node": "acme-2", "gpu": "0"], points: [SamplePoint(time: end.timeIntervalSince1970, value: 9)]),
                RangeSeries(labels: ["node": "acme-1", "gpu": "0", "UUID": "GPU-a"], points: [SamplePoint(time: end.timeIntervalSince1970, value: 1)]),
            ]
        })
        let trend = try await TrendReader(backend: backend).trend(scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: .utilisation, range: .hour, now: Self.now)
        #expect(trend.value.map(\.gpu) == [0, 1])
        #expect(trend.value.map(\.uuid) == ["GPU-a", "GPU-b"])
    }

    @Test("an outage serves the last trend as stale")
    func stale() async throws {
        let backend = Self.backend()
        let reader = TrendReader(backend: backend)
        _ = try await reader.trend(scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: .memory, range: .hour, now: Self.now)
        backend.fail(with: .timeout)
        let later = try await reader.trend(scope: try TenantScope(tenant: "acme"), node: "acme-1", metric: .memory, range: .hour, now: Self.now.addingTimeInterval(120))
        #expect(later.stale)
        #expect(later.value.count == 2)
        #expect(later.reason != nil)
    }
}
