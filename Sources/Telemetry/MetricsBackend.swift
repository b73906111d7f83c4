import Foundation
import PromQL
import PrometheusClient

/// What Telemetry needs from a Prometheus-compatible backend: instant queries, scoped.
///
/// A seam so snapshot building is tested against canned answers; `PrometheusClient` is the
/// production conformance. Like the client, it accepts only `ScopedQuery`.
public protocol MetricsBackend: Sendable {
    /// Identifies the backend in cache keys (base URL plus tenant header, never a secret).
    var identity: String { get }
    func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult
}

extension MetricsBackend {
    /// An instant query's answer as samples: a scalar becomes one unlabelled sample, a matrix or
    /// string answer none (the single-number reads of the usage and inference panels).
    func samples(_ query: ScopedQuery, at time: Date) async throws -> [VectorSample] {
        switch try await instantQuery(query, at: time) {
        case .vector(let samples): return samples
        case .scalar(let point): return [VectorSample(labels: [:], value: point.value, timestamp: point.time)]
        case .matrix, .string: return []
        }
    }
}

extension PrometheusClient: MetricsBackend {
    public var identity: String { baseURL }
}
