public import Fleet
import Foundation

/// Which of a pool's vLLM nodes takes the next request (docs/GATEWAY.md "Routing").
///
/// Two signals: the requests in flight through this gateway (always current, but blind to other
/// replicas and to traffic that reaches vLLM some other way) and, where fresh, what vLLM itself
/// reports through Prometheus (`vllm:num_requests_running`, `vllm:kv_cache_usage_perc`, set by
/// `VLLMLoadPolling`). A node's load is the larger of the two running counts; a node whose KV
/// cache is nearly full goes last whatever its count, since a new request there waits for
/// blocks to free (or preempts another). A draining node gets nothing new.
public actor UpstreamPool {
    private var inFlight: [String: Int] = [:]
    private var draining: Set<String> = []
    private var reported: [String: (load: NodeLoad, at: ContinuousClock.Instant)] = [:]
    /// How long a reported load counts; older, only the in-flight count does.
    public let maxAge: Duration
    /// KV-cache usage at or above which a node goes last.
    public let kvSaturation: Double

    public init(maxAge: Duration = .seconds(15), kvSaturation: Double = 0.95) {
        self.maxAge = maxAge
        self.kvSaturation = kvSaturation
    }

    /// Candidates in the order to try them: unsaturated before saturated, then the least
    /// loaded, ties by name; draining nodes and nodes without vLLM left out.
    func order(_ nodes: [NodeRecord]) -> [NodeRecord] {
        let now = ContinuousClock.now
        func key(_ node: NodeRecord) -> (Int, Double, String) {
            let local = Double(inFlight[node.name, default: 0])
            guard let entry = reported[node.name], now - entry.at <= maxAge else { return (0, local, node.name) }
            let saturated = (entry.load.kvCacheUsage ?? 0) >= kvSaturation ? 1 : 0
            return (saturated, max(local, entry.load.running ?? local), node.name)
        }
        return nodes.filter { $0.openAIBase != nil && !draining.contains($0.name) }
            .map { (key($0), $0) }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }

    func begin(_ node: String) { inFlight[node, default: 0] += 1 }
    func end(_ node: String) { inFlight[node] = max(0, inFlight[node, default: 1] - 1) }

    /// What vLLM reported per node (by inventory name), stamped now; nodes absent from
    /// `loads` keep their earlier report until it ages out.
    public func report(_ loads: [String: NodeLoad]) {
        let now = ContinuousClock.now
        for (node, load) in loads { reported[node] = (load, now) }
    }

    /// Stops sending new requests to `node`; requests in flight there finish.
    public func drain(_ node: String) { draining.insert(node) }
    public func restore(_ node: String) { draining.remove(node) }
    public func inFlightCount(_ node: String) -> Int { inFlight[node, default: 0] }
    public var drainingNodes: Set<String> { draining }
}

/// One node's load as vLLM reports it (either figure may be missing from an older vLLM).
public struct NodeLoad: Sendable, Hashable {
    /// `vllm:num_requests_running`, summed over the node's vLLM instances.
    public var running: Double?
    /// `vllm:kv_cache_usage_perc` (0–1), the fullest instance.
    public var kvCacheUsage: Double?

    public init(running: Double?, kvCacheUsage: Double?) {
        self.running = running
        self.kvCacheUsage = kvCacheUsage
    }
}
