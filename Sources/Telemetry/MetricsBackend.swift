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

extension PrometheusClient: MetricsBackend {
    public var identity: String { baseURL }
}
