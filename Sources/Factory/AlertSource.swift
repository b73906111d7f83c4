public import PrometheusClient

/// Where active alerts come from: Prometheus' alerts API in production, a list in tests.
///
/// The API cannot be scoped upstream, so the read model filters every answer per caller
/// (``AlertVisibility``).
public protocol AlertSource: Sendable {
    func alerts() async throws(PrometheusClientError) -> [PrometheusAlert]
}

extension PrometheusClient: AlertSource {}
