import Fleet
import PromQL
import PrometheusClient

/// "Does Prometheus see my GPU?": the last step of connecting a node.
///
/// Three questions, each with a hint a person can act on when the answer is no: is the DCGM
/// target `up`, does it deliver DCGM series, and do they carry the tenant label the inventory
/// says. Queries are confined to the node through `TenantScope` on the `node` label, the same
/// structural rewrite tenant queries get.
struct ConnectionCheck {
    let prometheus: PrometheusClient
    let refresh: Duration

    struct Report: Encodable, Sendable {
        var node: String
        var reachable: Bool
        var dcgmSeries: Int
        var tenantLabel: String?
        var expectedTenant: String
        var ok: Bool
        var hints: [String]
    }

    func run(node: NodeRecord) async -> Report {
        var report = Report(node: node.name, reachable: false, dcgmSeries: 0, tenantLabel: nil, expectedTenant: node.holding.tenant, ok: false, hints: [])
        do {
            let scope = try TenantScope(label: "node", value: node.name)
            let up = try await prometheus.query(try scope.rewrite(#"up{job="dcgm"}"#))
            if up.isEmpty {
                report.hints.append("Prometheus has no scrape target for this node yet: service discovery refreshes every \(refresh); check that Prometheus' http_sd_configs point at /sd/prometheus with the SD token.")
            } else if up.contains(where: { $0.value == 1 }) {
                report.reachable = true
            } else {
                report.hints.append("Prometheus cannot scrape \(node.dcgmAddress)\(node.dcgmPath): check that dcgm-exporter runs on the node, listens on that port, and that a firewall allows Prometheus in.")
            }
            let series = try await prometheus.query(try scope.rewrite("count(DCGM_FI_DEV_GPU_TEMP)"))
            report.dcgmSeries = Int(series.first?.value ?? 0)
            if report.reachable, report.dcgmSeries == 0 {
                report.hints.append("The exporter answers but reports no DCGM_FI_DEV_GPU_TEMP: check that the DCGM host engine sees the GPUs (dcgmi discovery -l) and the exporter's counters CSV.")
            } else if report.dcgmSeries > 0, report.dcgmSeries != node.gpuCount {
                report.hints.append("Prometheus sees \(report.dcgmSeries) GPU(s) but the node is registered with \(node.gpuCount): a GPU may have fallen off the bus, or the registration is wrong.")
            }
            let tenants = try await prometheus.query(try scope.rewrite("count by (tenant) (DCGM_FI_DEV_GPU_TEMP)"))
            report.tenantLabel = tenants.first?.labels["tenant"]
            if report.dcgmSeries > 0, report.tenantLabel != node.holding.tenant {
                report.hints.append("Series carry tenant=\(report.tenantLabel ?? "(none)") but the node belongs to \(node.holding.tenant): the scrape job must take its labels from /sd/prometheus with honor_labels: false.")
            }
        } catch let error as PrometheusClientError {
            report.hints.append("Prometheus could not be asked: \(error)")
        } catch {
            report.hints.append("The check could not run: \(error)")
        }
        report.ok = report.reachable && report.dcgmSeries > 0 && report.tenantLabel == node.holding.tenant
        return report
    }
}
