import Foundation

extension PrometheusClient {
    /// Recording and alerting rule groups the backend evaluates (`/api/v1/rules`).
    ///
    /// Not tenant-scoped: rule definitions are the operator's, so only admin paths may expose
    /// them. Firing alerts themselves come from `alerts()`.
    public func rules() async throws(PrometheusClientError) -> [PrometheusRuleGroup] {
        let body = try await fetch("/api/v1/rules")
        return try Self.decodePayload(RulesData.self, from: body).groups
    }

    /// Active scrape targets (`/api/v1/targets?state=active`): labels, URL, health, last error
    /// and last scrape, for the connection check and the operator's status page.
    ///
    /// Not tenant-scoped: callers filter by the target labels the inventory sets.
    public func targets() async throws(PrometheusClientError) -> [ActiveTarget] {
        let body = try await fetch("/api/v1/targets", parameters: [("state", "active")])
        return try Self.decodePayload(TargetsData.self, from: body).activeTargets ?? []
    }

    /// The backend's build information (`/api/v1/status/buildinfo`); VictoriaMetrics and Mimir
    /// answer with the Prometheus version they emulate.
    public func buildInfo() async throws(PrometheusClientError) -> BuildInfo {
        let body = try await fetch("/api/v1/status/buildinfo")
        return try Self.decodePayload(BuildInfo.self, from: body)
    }

    /// Runtime facts (`/api/v1/status/runtimeinfo`): the storage retention, for the self-check's
    /// "keeps enough history" question. Backends without the endpoint answer an error.
    public func runtimeInfo() async throws(PrometheusClientError) -> RuntimeInfo {
        let body = try await fetch("/api/v1/status/runtimeinfo")
        return try Self.decodePayload(RuntimeInfo.self, from: body)
    }

    /// The Alertmanagers the backend sends alerts to (`/api/v1/alertmanagers`), active ones only.
    public func alertmanagers() async throws(PrometheusClientError) -> [String] {
        let body = try await fetch("/api/v1/alertmanagers")
        return try Self.decodePayload(AlertmanagersData.self, from: body).activeAlertmanagers.map(\.url)
    }
}
