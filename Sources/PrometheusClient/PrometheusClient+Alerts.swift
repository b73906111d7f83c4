import Foundation

extension PrometheusClient {
    /// Every active alert the backend holds (`/api/v1/alerts`), pending and firing.
    ///
    /// Not tenant-scoped: Prometheus has no selector for alerts. Callers must filter on the
    /// `tenant` label before showing them (the server's alert view does).
    public func alerts() async throws(PrometheusClientError) -> [PrometheusAlert] {
        let body = try await fetch("/api/v1/alerts")
        return try Self.decodePayload(AlertsData.self, from: body).alerts
    }
}

/// The `data` of `/api/v1/alerts`.
private struct AlertsData: Decodable {
    var alerts: [PrometheusAlert]
}
