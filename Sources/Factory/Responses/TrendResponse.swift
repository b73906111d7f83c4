import Foundation
import Telemetry

/// Body of `GET /api/v1/factory/nodes/{id}/trend`: one series per GPU, at most
/// `TrendSeries.maxPoints` points each, as `[unix seconds, value]` pairs.
public struct TrendResponse: Encodable, Sendable {
    public struct Series: Encodable, Sendable {
        var gpu: Int
        var uuid: String?
        var points: [[Double]]
    }

    var node: String
    var metric: String
    var unit: String
    var range: String
    var stepSeconds: Int64
    var series: [Series]
    var stale: Bool
    var asOf: Date
    var reason: String?

    init(node: String, metric: TrendSeries.Metric, range: TrendSeries.Range, trend: Freshness<[TrendSeries]>) {
        self.node = node
        self.metric = metric.rawValue
        unit = metric.unit
        self.range = range.rawValue
        stepSeconds = range.step
        series = trend.value.map { series in
            Series(gpu: series.gpu, uuid: series.uuid, points: series.points.map { [$0.time.timeIntervalSince1970, ($0.value * 100).rounded() / 100] })
        }
        stale = trend.stale
        asOf = trend.asOf
        reason = trend.reason
    }
}
