public import PromQL
public import PrometheusClient

/// Where the tenant-scoped Prometheus API (`/prometheus/api/v1/…`) sends its reads: the
/// configured Prometheus. Every selector-bearing read takes a checked query type, so the read
/// model cannot hand it an unscoped string; the unscoped reads (metadata, rules, alerts) come
/// back whole and are filtered by ``PrometheusAPIFilter`` before anyone sees them.
public protocol PrometheusAPIRelay: Sendable {
    func relay(_ read: RelayRead<ScopedQuery>, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer
    func relay(_ read: RelayRead<FleetQuery>, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer
    func relay(_ read: UnscopedRelayRead, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer
}

extension PrometheusClient: PrometheusAPIRelay {}
