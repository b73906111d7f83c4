public import Fleet
import PromQL

/// One target group of Prometheus' `http_sd` format: `{"targets": [...], "labels": {...}}`.
///
/// Labels come from the inventory only. `tenant` is the owner of a dedicated node or the provider
/// of a contributed one; `pool` is the pool of a contributed node and `ScopeLabel.dedicatedPool`
/// for a dedicated one — always set, so an exporter can never keep a `pool` label of its own
/// (with `honor_labels: false` Prometheus renames it `exported_pool`) and move a pool's figures;
/// `__metrics_path__` points at the exporter path recorded at registration.
/// Public for the demo's history (`demo --history`), which stamps the past with the same labels.
public struct HTTPSDTargetGroup: Encodable, Sendable, Hashable {
    public var targets: [String]
    public var labels: [String: String]

    public init(targets: [String], labels: [String: String]) {
        self.targets = targets
        self.labels = labels
    }

    /// Exporters Prometheus scrapes, one scrape job each.
    public enum Exporter: String, Sendable {
        case dcgm, vllm
    }

    public static func groups(for nodes: [NodeRecord], exporter: Exporter) -> [HTTPSDTargetGroup] {
        nodes.sorted { $0.name < $1.name }.compactMap { node in
            let address: String
            let path: String
            switch exporter {
            case .dcgm:
                address = node.dcgmAddress
                path = node.dcgmPath
            case .vllm:
                guard let vllmAddress = node.vllmAddress else { return nil }
                address = vllmAddress
                path = node.vllmPath ?? "/metrics"
            }
            let labels = [
                "__metrics_path__": path, ScopeLabel.tenant: node.holding.tenant, ScopeLabel.node: node.name,
                ScopeLabel.pool: node.holding.pool ?? ScopeLabel.dedicatedPool, "gpu_class": node.gpuClass,
            ]
            return HTTPSDTargetGroup(targets: [address], labels: labels)
        }
    }
}
