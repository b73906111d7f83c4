import Foundation
import PromQL
import PrometheusClient
import Telemetry

/// A metrics backend answering from a closure over the query text, recording every query by type.
final class FakeMetrics: RangeMetricsBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var tenantQueries: [ScopedQuery] = []
    private var fleetQueries: [FleetQuery] = []
    private var poolQueries: [PoolAggregateQuery] = []
    private var failure: PrometheusClientError?
    let answer: @Sendable (String) -> QueryResult

    init(answer: @escaping @Sendable (String) -> QueryResult = { _ in .vector([]) }) {
        self.answer = answer
    }

    var identity: String { "fake" }
    var tenant: [ScopedQuery] { lock.withLock { tenantQueries } }
    var fleet: [FleetQuery] { lock.withLock { fleetQueries } }
    var pool: [PoolAggregateQuery] { lock.withLock { poolQueries } }
    func fail(with error: PrometheusClientError?) { lock.withLock { failure = error } }

    private func record(_ body: () -> Void) throws(PrometheusClientError) {
        let error = lock.withLock { () -> PrometheusClientError? in
            body()
            return failure
        }
        if let error { throw error }
    }

    func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        try record { tenantQueries.append(query) }
        return answer(query.text)
    }

    func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        try record { fleetQueries.append(query) }
        return answer(query.text)
    }

    func instantQuery(_ query: PoolAggregateQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        try record { poolQueries.append(query) }
        return answer(query.text)
    }

    func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries] {
        try record { tenantQueries.append(query) }
        return []
    }

    static func sample(_ value: Double, _ labels: [String: String] = [:]) -> VectorSample {
        VectorSample(labels: labels, value: value, timestamp: 1_800_000_000)
    }
}
