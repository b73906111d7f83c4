public import Foundation
public import PromQL
public import PrometheusClient

/// What Telemetry needs from a Prometheus-compatible backend: instant queries, checked.
///
/// A seam so snapshot building is tested against canned answers; `PrometheusClient` is the
/// production conformance. Like the client, it accepts only checked query types: tenant reads
/// take `ScopedQuery`, the pool figure `PoolAggregateQuery`, fleet reads `FleetQuery`. A fake
/// that answers only tenant reads inherits refusals for the other two.
public protocol MetricsBackend: Sendable {
    /// Identifies the backend in cache keys (base URL plus tenant header, never a secret).
    var identity: String { get }
    func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult
    func instantQuery(_ query: PoolAggregateQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult
    func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult
}

extension MetricsBackend {
    public func instantQuery(_ query: PoolAggregateQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        throw .invalidRequest("This metrics backend does not answer pool reads.")
    }

    public func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
        throw .invalidRequest("This metrics backend does not answer fleet reads.")
    }
}

extension MetricsBackend {
    /// An instant query's answer as samples: a scalar becomes one unlabelled sample, a matrix or
    /// string answer none (the single-number reads of the usage and inference panels).
    public func samples(_ query: ScopedQuery, at time: Date) async throws -> [VectorSample] {
        Self.samples(try await instantQuery(query, at: time))
    }

    /// As above, for the pool figure.
    public func samples(_ query: PoolAggregateQuery, at time: Date) async throws -> [VectorSample] {
        Self.samples(try await instantQuery(query, at: time))
    }

    /// As above, for a fleet read.
    public func samples(_ query: FleetQuery, at time: Date) async throws -> [VectorSample] {
        Self.samples(try await instantQuery(query, at: time))
    }

    static func samples(_ result: QueryResult) -> [VectorSample] {
        switch result {
        case .vector(let samples): return samples
        case .scalar(let point): return [VectorSample(labels: [:], value: point.value, timestamp: point.time)]
        case .matrix, .string: return []
        }
    }
}

extension PrometheusClient: MetricsBackend {
    public var identity: String { baseURL }
}
