/// A scrape job whose targets come from AI Factory's `/sd/prometheus` endpoint.
///
/// With the inventory as the only source of targets and their `tenant` labels, registering a
/// node makes Prometheus scrape it within one refresh, without a restart.
public struct HTTPSDJob: Sendable, Hashable {
    /// Prometheus job name (`dcgm`, `vllm`).
    public var name: String
    /// Full SD URL, e.g. `http://127.0.0.1:8080/sd/prometheus?exporter=dcgm`.
    public var url: String
    /// File holding the SD bearer token (Prometheus reads it on every refresh).
    public var tokenFile: String
    /// How often Prometheus re-reads the target list.
    public var refreshInterval: Duration

    public init(name: String, url: String, tokenFile: String, refreshInterval: Duration) {
        self.name = name
        self.url = url
        self.tokenFile = tokenFile
        self.refreshInterval = refreshInterval
    }
}
