public import PrometheusClient

/// What the self-check reads from the metrics backend besides queries: its build, retention,
/// scrape targets, rules and the Alertmanagers it sends to. Not tenant data: the checks filter
/// targets by the inventory's labels before anything reaches a tenant.
public protocol StackProbe: Sendable {
    func buildInfo() async throws(PrometheusClientError) -> BuildInfo
    func runtimeInfo() async throws(PrometheusClientError) -> RuntimeInfo
    func targets() async throws(PrometheusClientError) -> [ActiveTarget]
    func rules() async throws(PrometheusClientError) -> [PrometheusRuleGroup]
    func alertmanagers() async throws(PrometheusClientError) -> [String]
}

extension PrometheusClient: StackProbe {}

/// The Alertmanager half: its status and whether it holds an alert.
public protocol AlertmanagerProbe: Sendable {
    var baseURL: String { get }
    func status() async throws(PrometheusClientError) -> AlertmanagerClient.Status
    func alerts(named alertname: String) async throws(PrometheusClientError) -> [[String: String]]
}

extension AlertmanagerClient: AlertmanagerProbe {}
