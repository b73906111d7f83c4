/// One Prometheus scrape target: an exporter endpoint plus the target labels Prometheus attaches.
///
/// Target labels are how isolation starts: `tenant` comes from the inventory, never from the
/// exporter, and the generated job sets `honor_labels: false` so a node cannot forge it.
public struct ScrapeTarget: Sendable, Hashable, Codable {
    /// Prometheus job name (`dcgm` or `vllm`).
    public var job: String
    /// `host:port` of the exporter.
    public var address: String
    /// HTTP path of the metrics endpoint.
    public var metricsPath: String
    /// Target labels (`tenant`, `node`, `pool`, `gpu_class`).
    public var labels: [String: String]

    public init(job: String, address: String, metricsPath: String, labels: [String: String]) {
        self.job = job
        self.address = address
        self.metricsPath = metricsPath
        self.labels = labels
    }
}
