import Foundation

/// The two questions the self-check asks an Alertmanager (API v2): is it up with a loaded
/// configuration, and does it hold a given alert. Shares the Prometheus client's transport
/// (timeouts, size cap, error classification); Alertmanager answers plain JSON, no envelope.
public struct AlertmanagerClient: Sendable {
    let transport: PrometheusClient
    public var baseURL: String { transport.baseURL }

    public init(baseURL: String, timeout: Duration = .seconds(3)) {
        transport = PrometheusClient(baseURL: baseURL, timeout: timeout)
    }

    public struct Status: Sendable, Hashable {
        public var version: String?
        /// The configuration it runs, as loaded (Alertmanager refuses to start on an invalid one
        /// and keeps the last good one on a failed reload, so a non-empty text means a valid one).
        public var configuration: String
        public var clusterStatus: String?

        public init(version: String?, configuration: String, clusterStatus: String?) {
            self.version = version
            self.configuration = configuration
            self.clusterStatus = clusterStatus
        }
    }

    /// `GET /api/v2/status`.
    public func status() async throws(PrometheusClientError) -> Status {
        let body = try await transport.fetch("/api/v2/status")
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw .malformedResponse("Alertmanager's status is not a JSON object")
        }
        let config = (object["config"] as? [String: Any])?["original"] as? String ?? ""
        let version = (object["versionInfo"] as? [String: Any])?["version"] as? String
        let cluster = (object["cluster"] as? [String: Any])?["status"] as? String
        return Status(version: version, configuration: config, clusterStatus: cluster)
    }

    /// Active alerts named `alertname` (`GET /api/v2/alerts?filter=alertname="…"`), as their label sets.
    public func alerts(named alertname: String) async throws(PrometheusClientError) -> [[String: String]] {
        let body = try await transport.fetch("/api/v2/alerts", parameters: [("filter", "alertname=\"\(alertname)\""), ("active", "true")])
        guard let list = (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] else {
            throw .malformedResponse("Alertmanager's alerts are not a JSON list")
        }
        return list.map { ($0["labels"] as? [String: String]) ?? [:] }
    }
}
