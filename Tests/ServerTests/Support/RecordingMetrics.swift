import Foundation
import PromQL
import PrometheusClient
import Telemetry

/// A metrics backend for route tests: answers from a closure over the query text and counts what
/// it was asked, by query type.
final class RecordingMetrics: RangeMetricsBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var tenantTexts: [String] = []
    private var poolTexts: [String] = []
    private var fleetTexts: [String] = []
    let answer: @Sendable (String) -> QueryResult

    init(answer: @escaping @Sendable (String) -> QueryResult) {
        self.answer = answer
    }

    var identity: String { "recording" }
    var tenantQueries: [String] { lock.withLock { tenantTexts } }
    var poolQueries: [String] { lock.withLock { poolTexts } }
    var fleetQueries: [String] { lock.withLock { fleetTexts } }

    func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        lock.withLock { tenantTexts.append(query.text) }
        return answer(query.text)
    }

    func instantQuery(_ query: PoolAggregateQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        lock.withLock { poolTexts.append(query.text) }
        return answer(query.text)
    }

    func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        lock.withLock { fleetTexts.append(query.text) }
        return answer(query.text)
    }

    func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries] {
        lock.withLock { tenantTexts.append(query.text) }
        return []
    }
}
