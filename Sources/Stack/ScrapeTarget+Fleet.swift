public import Fleet
import PromQL

extension ScrapeTarget {
    /// The scrape targets of every node of `fleet`, served by one simulator at `simulatorAddress`.
    ///
    /// Each node yields a `dcgm` target and, when it serves a model, a `vllm` target. Labels:
    /// `tenant` (owner, or provider for a contributed node), `node`, `pool` (`ScopeLabel.dedicatedPool`
    /// when dedicated: always set, so an exporter cannot bring its own) and `gpu_class`.
    public static func targets(for fleet: FleetSpec, simulatorAddress: String) -> [ScrapeTarget] {
        var targets: [ScrapeTarget] = []
        for node in fleet.nodes {
            let labels = [
                ScopeLabel.tenant: node.holding.tenant, ScopeLabel.node: node.name,
                ScopeLabel.pool: node.holding.pool ?? ScopeLabel.dedicatedPool, "gpu_class": node.gpuClass,
            ]
            targets.append(ScrapeTarget(job: "dcgm", address: simulatorAddress, metricsPath: "/nodes/\(node.name)/dcgm/metrics", labels: labels))
            if node.servedModel != nil {
                targets.append(ScrapeTarget(job: "vllm", address: simulatorAddress, metricsPath: "/nodes/\(node.name)/vllm/metrics", labels: labels))
            }
        }
        return targets
    }
}
