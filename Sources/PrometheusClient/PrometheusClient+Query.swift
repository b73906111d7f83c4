public import Foundation
public import PromQL

extension PrometheusClient {
    /// Instant query returning the vector; a scalar answer comes back as one unlabelled sample.
    ///
    /// The convenience most callers want. A matrix or string answer throws `.unexpectedResult`:
    /// use `instantQuery(_:at:)` for expressions that may return those.
    public func query(_ query: ScopedQuery, at time: Date? = nil) async throws(PrometheusClientError) -> [VectorSample] {
        switch try await instantQuery(query, at: time) {
        case .vector(let samples):
            return samples
        case .scalar(let point):
            return [VectorSample(labels: [:], value: point.value, timestamp: point.time)]
        case let other:
            throw .unexpectedResult(expected: "vector", got: other.resultType)
        }
    }

    /// Instant query (`/api/v1/query`) at `time` (the backend's now when `nil`), any result type.
    ///
    /// The tenant read: the query is confined to one tenant (``ScopedQuery``).
    public func instantQuery(_ query: ScopedQuery, at time: Date? = nil) async throws(PrometheusClientError) -> QueryResult {
        try await instant(query.text, at: time)
    }

    /// The fleet read: an instant query across tenants (``FleetQuery``, which only an operator
    /// capability or a holder's connection check can make).
    public func instantQuery(_ query: FleetQuery, at time: Date? = nil) async throws(PrometheusClientError) -> QueryResult {
        try await instant(query.text, at: time)
    }

    /// The pool read: one label-free number over a pool's contributing nodes
    /// (``PoolAggregateQuery``, which only a consumer's subscription can make).
    public func instantQuery(_ query: PoolAggregateQuery, at time: Date? = nil) async throws(PrometheusClientError) -> QueryResult {
        try await instant(query.text, at: time)
    }

    /// The one transport of every instant read; private so that only checked query types reach it.
    private func instant(_ text: String, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        var form = [("query", text)]
        if let time { form.append(("time", Self.format(time))) }
        form.append(("timeout", Self.format(timeout)))
        form += queryParameters
        let body = try await post("/api/v1/query", form: form)
        return try Self.decodePayload(QueryData.self, from: body).result
    }

    /// Range query (`/api/v1/query_range`): one series per label set, samples every `step`
    /// from `start` to `end` inclusive.
    ///
    /// Prometheus refuses more than 11,000 points per series (400 `bad_data`); callers size
    /// `step` from the range (the trend API asks for at most 300 points).
    public func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries] {
        guard step > .zero else { throw .invalidRequest("The step of a range query must be positive.") }
        let form = queryParameters + [
            ("query", query.text),
            ("start", Self.format(start)),
            ("end", Self.format(end)),
            ("step", Self.format(step)),
            ("timeout", Self.format(timeout)),
        ]
        let body = try await post("/api/v1/query_range", form: form)
        switch try Self.decodePayload(QueryData.self, from: body).result {
        case .matrix(let series):
            return series
        case let other:
            throw .unexpectedResult(expected: "matrix", got: other.resultType)
        }
    }
}
