import Export
import Fleet
import Foundation
import Logging

extension DemoStack {
    /// The demo's Alertmanager, or `nil` — with one log line saying why — when it is turned off
    /// or `prometheus-alertmanager` is not installed. The demo runs either way; without one,
    /// Prometheus gets no `alerting` block and the self-check reports that none is configured.
    static func alertmanagerRuntime(_ config: DemoConfiguration, stateDirectory: String, logger: Logger) throws -> AlertmanagerRuntime? {
        guard config.alertmanager else { return nil }
        guard let binary = AlertmanagerRuntime.locateBinary() else {
            logger.warning("prometheus-alertmanager is not installed: the demo runs without an Alertmanager (scripts/setup.sh or `apt-get install prometheus-alertmanager` adds it)")
            return nil
        }
        guard let port = PortProbe.freePort(host: config.host) else {
            throw StackError.other("no free port on \(config.host) for Alertmanager")
        }
        return AlertmanagerRuntime(binary: binary, host: config.host, port: port, stateDirectory: stateDirectory)
    }

    /// The demo's VictoriaMetrics with `--victoria-metrics`; a start-up error when it is asked
    /// for and not installed (the demo would otherwise quietly read Prometheus instead).
    static func victoriaMetricsRuntime(_ config: DemoConfiguration, stateDirectory: String) throws -> VictoriaMetricsRuntime? {
        guard config.victoriaMetrics else { return nil }
        guard let binary = VictoriaMetricsRuntime.locateBinary() else {
            throw StackError.missingBinary(name: "victoria-metrics", hint: "apt-get install victoria-metrics (scripts/setup.sh installs it)")
        }
        guard let port = PortProbe.freePort(host: config.host) else {
            throw StackError.other("no free port on \(config.host) for VictoriaMetrics")
        }
        return VictoriaMetricsRuntime(binary: binary, host: config.host, port: port, stateDirectory: stateDirectory)
    }

    /// The routing `aifactory export alertmanager` would write for the demo tenants, every
    /// receiver a webhook under `webhookBase` (the demo's simulator) + `/alertmanager-webhook/<receiver>`.
    ///
    /// Nothing serves that path: the simulator answers 404, so notifications fail (visible in
    /// `alertmanager_notifications_failed_total` and `alertmanager.log`) while routing, grouping,
    /// inhibition and the alerts API work as in production. The simulator rather than the AI
    /// Factory server, whose failed-request limits must not count Alertmanager's retries, and
    /// rather than a closed port, which another process could open later.
    static func alertmanagerConfig(fleet: FleetSpec, webhookBase: String) -> String {
        let hook = { (receiver: String) in webhookBase + "/alertmanager-webhook/" + receiver }
        let tenants = Dictionary(fleet.tenants.map { tenant in
            (tenant, TenantReceivers(webhookURL: hook(AlertmanagerConfig.receiverName(tenant: tenant))))
        }, uniquingKeysWith: { first, _ in first })
        return AlertmanagerConfig(tenants: tenants, operatorWebhookURL: hook(AlertmanagerConfig.operatorReceiver)).render()
    }
}
