import Fleet
import Foundation
import PromQL
import PrometheusClient
import Telemetry

/// "Does Prometheus see my GPU?": the last step of connecting a node.
///
/// Three questions, each with a hint a person can act on when the answer is no: is the DCGM
/// target `up`, does it deliver DCGM series, and do they carry the tenant label the inventory
/// says. The queries are fleet reads narrowed to the node (`FleetScope`): the point is to see
/// series whatever tenant label they carry, so only the node's holder or an operator gets one.
/// Upstream failures become a hint without upstream detail (no Prometheus address or error text).
public struct ConnectionCheck: Sendable {
    let backend: any MetricsBackend
    let scope: FleetScope
    let refresh: Duration

    public struct Report: Encodable, Sendable {
        public var node: String
        public var reachable: Bool
        public var dcgmSeries: Int
        public var tenantLabel: String?
        public var expectedTenant: String
        public var ok: Bool
        public var hints: [String]
    }

    func run(node: NodeRecord) async -> Report {
        var report = Report(node: node.name, reachable: false, dcgmSeries: 0, tenantLabel: nil, expectedTenant: node.holding.tenant, ok: false, hints: [])
        let now = Date()
        do {
            let up = try await backend.samples(try scope.rewrite(#"up{job="dcgm"}"#), at: now)
            if up.isEmpty {
                report.hints.append("Prometheus has no scrape target for this node yet: service discovery refreshes every \(refresh); check that Prometheus' http_sd_configs point at /sd/prometheus with the SD token.")
            } else if up.contains(where: { $0.value == 1 }) {
                report.reachable = true
            } else {
                report.hints.append("Prometheus cannot scrape \(node.dcgmAddress)\(node.dcgmPath): check that dcgm-exporter runs on the node, listens on that port, and that a firewall allows Prometheus in.")
            }
            let series = try await backend.samples(try scope.rewrite("count(DCGM_FI_DEV_GPU_TEMP)"), at: now)
            report.dcgmSeries = Int(series.first?.value ?? 0)
            if report.reachable, report.dcgmSeries == 0 {
                report.hints.append("The exporter answers but reports no DCGM_FI_DEV_GPU_TEMP: check that the DCGM host engine sees the GPUs (dcgmi discovery -l) and the exporter's counters CSV.")
            } else if report.dcgmSeries > 0, report.dcgmSeries != node.gpuCount {
                report.hints.append("Prometheus sees \(report.dcgmSeries) GPU(s) but the node is registered with \(node.gpuCount): a GPU may have fallen off the bus, or the registration is wrong.")
            }
            let tenants = try await backend.samples(try scope.rewrite("count by (\(ScopeLabel.tenant)) (DCGM_FI_DEV_GPU_TEMP)"), at: now)
            report.tenantLabel = tenants.first?.labels[ScopeLabel.tenant]
            if report.dcgmSeries > 0, report.tenantLabel != node.holding.tenant {
                report.hints.append("Series carry \(ScopeLabel.tenant)=\(report.tenantLabel ?? "(none)") but the node belongs to \(node.holding.tenant): the scrape job must take its labels from /sd/prometheus with honor_labels: false.")
            }
        } catch let error as PrometheusClientError {
            report.hints.append("Prometheus could not be asked: \(error.userMessage); try the check again shortly.")
        } catch {
            report.hints.append("The check could not run; try again shortly.")
        }
        report.ok = report.reachable && report.dcgmSeries > 0 && report.tenantLabel == node.holding.tenant
        return report
    }
}
