import Fleet

/// One target group of Prometheus' `http_sd` format: `{"targets": [...], "labels": {...}}`.
///
/// Labels come from the inventory only. `tenant` is the owner of a dedicated node or the provider
/// of a contributed one; `pool` is set for contributed nodes; `__metrics_path__` points at the
/// exporter path recorded at registration.
struct HTTPSDTargetGroup: Encodable, Sendable, Hashable {
    var targets: [String]
    var labels: [String: String]

    /// Exporters Prometheus scrapes, one scrape job each.
    enum Exporter: String, Sendable {
        case dcgm, vllm
    }

    static func groups(for nodes: [NodeRecord], exporter: Exporter) -> [HTTPSDTargetGroup] {
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
            var labels = ["__metrics_path__": path, "tenant": node.holding.tenant, "node": node.name, "gpu_class": node.gpuClass]
            if let pool = node.holding.pool { labels["pool"] = pool }
            return HTTPSDTargetGroup(targets: [address], labels: labels)
        }
    }
}
